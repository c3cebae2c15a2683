"""Keeping the referral directory true (issue 23): staff confirmations, the directory's health, readers' reports."""
