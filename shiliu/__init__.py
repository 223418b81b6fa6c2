"""Shiliu (石榴): the platform for the Three Plans of ethnic exchange, communication and integration."""

import os as _os

# openpyxl parses with lxml when it is installed (python-docx needs it), and then defusedxml is not used: a workbook
# declaring entities is read instead of refused. Uploaded workbooks are untrusted, so openpyxl keeps defusedxml.
# Set here, before anything imports openpyxl.
_os.environ["OPENPYXL_LXML"] = "False"
