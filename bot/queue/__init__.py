"""The link workers' queue and the audit trail: one read model, one set of changes, one audit writer.

- `read`: the queue in working order, one row, counts, and one intake as a
  single document. The pages, the JSON API and the command line all read
  through it, so the CLI's `--json` and the API's body are the same document.
- `change`: claim, release, assign, contact, close, notes; and the system's own
  moves (queue an intake, raise its priority, reopen it after a disclosure).
  Each change writes its audit event in the same transaction.
- `audit`: the one writer of the audit trail and its reader.

Who may do what is decided here, so every door into the data applies the same
rules; refusals are `bot.errors.DomainError`s that each edge words its own way.
"""
