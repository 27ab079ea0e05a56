"""The words for the people in someone's life, one list for every reader that hears about them.

A no for oneself that goes on to someone else ("no, it's my husband"), someone left alone ("mum's on her own"),
someone calling a person away ("sorry, the baby") and an answer given for someone else ("dad is happy for you to")
all name the same people; written once here so that a word added for one reader is heard by all of them.
"""

PARENTS = r"mum|mam|mom|mother|dad|father|nan|gran|grandad"
"""Said without "my" as often as with it ("mum's on her own", "dad is happy for you to")."""
CHILDREN = r"baby|little one|toddler|kids?|children|child|son|daughter|grandson|granddaughter"
PARTNERS = r"husband|wife|partner"
FAMILY = f"{PARTNERS}|{CHILDREN}|{PARENTS}|brother|sister"
OTHERS = r"boyfriend|girlfriend|ex|fella|bloke|stepdad|stepmum|uncle|aunt|cousin|carer|neighbours?|friend|landlord|boss"
"""People outside the family a person may answer about."""
