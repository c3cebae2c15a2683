"""Measures the built site: bytes, paints and layout shift on a throttled phone, Lighthouse."""
