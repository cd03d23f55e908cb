"""Common Ground: networking through shared interests."""
