"""The workshop room: its servers, its addresses, its accounts and its reset."""
