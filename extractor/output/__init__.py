"""Writers: JSON (the FIELDS.md contract), text for the terminal, and others."""
