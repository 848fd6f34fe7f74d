"""Background jobs behind one interface; the embedded runner runs them in this process."""
