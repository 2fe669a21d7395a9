"""Browser tests: the public pages in Debian's Chromium, driven by Playwright."""
