"""Resolution within a document: mentions into entities, places onto divisions, relations onto entities."""
