"""Resilience (issue 17): what the portal answers while a service of its stack is down, and how
what was queued survives it."""
