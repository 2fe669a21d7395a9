"""The catalog's side of the MQA quality score: kept with each record, summed up, tracked.

- `scores`: the score written in every save's own transaction (`keep_quality`), re-scoring
  after link checks (`rescore_records`), reading a record's score;
- `links`: `link_outcomes_for(session, urls)`, the one place scores learn link-check results;
- `aggregates`: scores per organisation, source and catalog; daily snapshots and trends;
- `worklist`: the records that lose the most points, with what to fix.

The modules are imported by name (this file imports none), so that catalog.records can use
`scores` without pulling in the aggregates and their imports.
"""
