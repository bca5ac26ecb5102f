"""Relation rules over mentions: positions (SECRETARY_OF, HOLDS_POSITION), PROMOTES and LOCATED_IN."""
