"""Synthetic ISO 19139 records in GetRecords pages, and a CSW stand-in that serves them.

`write_csw_pages(folder, records, page_size)` writes page-{startPosition}.xml files;
`python benchmarks/csw_records.py FOLDER PORT` answers GET requests with the page its
startPosition names, in its own process (so the server's CPU and memory are not counted).
"""

from __future__ import annotations

# ruff: noqa: E501  (one ISO 19139 record, kept readable as XML)
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORD = """<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd"
 xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:srv="http://www.isotc211.org/2005/srv">
 <gmd:fileIdentifier><gco:CharacterString>bench-{n:06d}</gco:CharacterString></gmd:fileIdentifier>
 <gmd:language><gmd:LanguageCode codeListValue="ger"/></gmd:language>
 <gmd:hierarchyLevel><gmd:MD_ScopeCode codeListValue="dataset"/></gmd:hierarchyLevel>
 <gmd:contact><gmd:CI_ResponsibleParty>
  <gmd:organisationName><gco:CharacterString>Vermessungsamt</gco:CharacterString></gmd:organisationName>
  <gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address><gmd:electronicMailAddress>
   <gco:CharacterString>geo@beispielstadt.example</gco:CharacterString>
  </gmd:electronicMailAddress></gmd:CI_Address></gmd:address></gmd:CI_Contact></gmd:contactInfo>
  <gmd:role><gmd:CI_RoleCode codeListValue="pointOfContact"/></gmd:role>
 </gmd:CI_ResponsibleParty></gmd:contact>
 <gmd:identificationInfo><gmd:MD_DataIdentification>
  <gmd:citation><gmd:CI_Citation>
   <gmd:title><gco:CharacterString>Flächennutzung Block {n}</gco:CharacterString></gmd:title>
   <gmd:date><gmd:CI_Date><gmd:date><gco:Date>2024-03-01</gco:Date></gmd:date>
    <gmd:dateType><gmd:CI_DateTypeCode codeListValue="publication"/></gmd:dateType>
   </gmd:CI_Date></gmd:date>
  </gmd:CI_Citation></gmd:citation>
  <gmd:abstract><gco:CharacterString>Flächennutzung im Block {n}, Stand 2024.</gco:CharacterString></gmd:abstract>
  <gmd:pointOfContact><gmd:CI_ResponsibleParty>
   <gmd:organisationName><gco:CharacterString>Vermessungsamt</gco:CharacterString></gmd:organisationName>
   <gmd:role><gmd:CI_RoleCode codeListValue="publisher"/></gmd:role>
  </gmd:CI_ResponsibleParty></gmd:pointOfContact>
  <gmd:descriptiveKeywords><gmd:MD_Keywords>
   <gmd:keyword><gco:CharacterString>opendata</gco:CharacterString></gmd:keyword>
   <gmd:keyword><gco:CharacterString>Flächennutzung</gco:CharacterString></gmd:keyword>
  </gmd:MD_Keywords></gmd:descriptiveKeywords>
  <gmd:resourceConstraints><gmd:MD_LegalConstraints>
   <gmd:useConstraints><gmd:MD_RestrictionCode codeListValue="otherRestrictions"/></gmd:useConstraints>
   <gmd:otherConstraints><gco:CharacterString>{{"id": "dl-by-de/2.0", "name": "Datenlizenz Deutschland Namensnennung 2.0", "url": "https://www.govdata.de/dl-de/by-2-0", "quelle": "Beispielstadt"}}</gco:CharacterString></gmd:otherConstraints>
  </gmd:MD_LegalConstraints></gmd:resourceConstraints>
  <gmd:topicCategory><gmd:MD_TopicCategoryCode>planningCadastre</gmd:MD_TopicCategoryCode></gmd:topicCategory>
  <gmd:extent><gmd:EX_Extent><gmd:geographicElement><gmd:EX_GeographicBoundingBox>
   <gmd:westBoundLongitude><gco:Decimal>{west}</gco:Decimal></gmd:westBoundLongitude>
   <gmd:eastBoundLongitude><gco:Decimal>{east}</gco:Decimal></gmd:eastBoundLongitude>
   <gmd:southBoundLatitude><gco:Decimal>52.40</gco:Decimal></gmd:southBoundLatitude>
   <gmd:northBoundLatitude><gco:Decimal>52.60</gco:Decimal></gmd:northBoundLatitude>
  </gmd:EX_GeographicBoundingBox></gmd:geographicElement></gmd:EX_Extent></gmd:extent>
 </gmd:MD_DataIdentification></gmd:identificationInfo>
 <gmd:distributionInfo><gmd:MD_Distribution><gmd:transferOptions><gmd:MD_DigitalTransferOptions>
  <gmd:onLine><gmd:CI_OnlineResource>
   <gmd:linkage><gmd:URL>https://geo.beispielstadt.example/wfs/block{n}?service=WFS&amp;request=GetCapabilities</gmd:URL></gmd:linkage>
   <gmd:protocol><gco:CharacterString>OGC:WFS</gco:CharacterString></gmd:protocol>
  </gmd:CI_OnlineResource></gmd:onLine>
  <gmd:onLine><gmd:CI_OnlineResource>
   <gmd:linkage><gmd:URL>https://geo.beispielstadt.example/download/block{n}.zip</gmd:URL></gmd:linkage>
   <gmd:protocol><gco:CharacterString>WWW:DOWNLOAD-1.0-http--download</gco:CharacterString></gmd:protocol>
  </gmd:CI_OnlineResource></gmd:onLine>
 </gmd:MD_DigitalTransferOptions></gmd:transferOptions></gmd:MD_Distribution></gmd:distributionInfo>
</gmd:MD_Metadata>"""


def write_csw_pages(folder: Path, records: int, page_size: int) -> None:
    for start in range(1, records + 1, page_size):
        numbers = range(start, min(start + page_size, records + 1))
        after = start + len(numbers)
        body = "\n".join(
            RECORD.format(n=n, west=13.0 + n % 50 / 100, east=13.1 + n % 50 / 100) for n in numbers
        )
        page = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2">'
            f'<csw:SearchResults numberOfRecordsMatched="{records}" '
            f'numberOfRecordsReturned="{len(numbers)}" '
            f'nextRecord="{after if after <= records else 0}" elementSet="full">'
            f"{body}</csw:SearchResults></csw:GetRecordsResponse>"
        )
        (folder / f"page-{start}.xml").write_text(page, encoding="utf-8")


def serve(folder: Path, port: int) -> None:
    class Pages(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            query = {k.lower(): v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            page = folder / f"page-{query.get('startposition', '1')}.xml"
            body = page.read_bytes() if page.is_file() else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer(("127.0.0.1", port), Pages).serve_forever()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
