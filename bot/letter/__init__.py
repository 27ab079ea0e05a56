"""The message back to the GP practice when a queue item is closed (issue: interoperability, point 4).

- `content`: what the letter says, built from the intake document by a pure function, so the
  page, the API, the PDF and the command line all say the same words.
- `pdf`: the same letter laid out on A4 with reportlab (pure Python, BSD), for sending or filing.

The HTML letter is a template of the web app (`bot/web/templates/letter.html`).
"""
