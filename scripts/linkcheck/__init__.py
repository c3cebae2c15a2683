"""Checks the built site's links, phone numbers and sources."""
