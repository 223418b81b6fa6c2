from shiliu.exchanges.tests.conftest import paired  # noqa: F401 - the 扬州市 ↔ 新源县 pairing
