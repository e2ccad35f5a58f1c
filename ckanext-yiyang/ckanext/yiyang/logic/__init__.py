"""What the base gives every feature's actions and auth functions."""
