"""Tables of the review app (declared on bot.db.models.Base)."""
