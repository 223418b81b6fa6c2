"""Shiliu (石榴): the platform for the Three Plans of ethnic exchange, communication and integration."""
