"""Every module that declares tables, imported together so Alembic sees the whole schema."""

from bot.db import models  # noqa: F401  intakes, answers, flags, queue, audit
from bot.directory import models as directory_models  # noqa: F401  community offers
from bot.fhir import models as fhir_models  # noqa: F401  the FHIR push outbox
from bot.mail import models as mail_models  # noqa: F401  the e-mail outbox
from bot.outcomes import models as outcome_models  # noqa: F401  follow-ups and their answers
from bot.review import models as review_models  # noqa: F401  link worker accounts, notes, tokens
from bot.sms import models as sms_models  # noqa: F401  SMS numbers, messages, outbox
from bot.teams import models as team_models  # noqa: F401  teams, members, entry points

Base = models.Base
