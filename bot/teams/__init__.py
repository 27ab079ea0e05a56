"""Teams, their members and their entry points: who an intake goes to, and who may see it.

A team is a GP practice, a primary care network (several practices) or a community hub.
Link workers belong to one or more teams and see only their teams' intakes; admins see all.
An entry point is a place people start from (an A&E department, a library, a food bank, a
practice): a short link and a poster, owned by a team, that records where a referral came from.

- `models`: the tables.
- `routing`: the pure decision of which team an intake belongs to.
- `store`: reading and changing teams, members and entry points, and routing an intake.
"""
