"""Tables of the SMS channel (declared on bot.db.models.Base)."""
