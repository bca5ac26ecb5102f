"""Named-entity components: places, titles and persons, organisations, initiatives."""
