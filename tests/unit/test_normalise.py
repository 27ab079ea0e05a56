"""How patients' own words become stored values."""

import pytest

from bot.intake import normalise
from bot.intake.questions import BARRIERS, COMPANY_NO, COMPANY_YES, CONTACT_METHODS, GROUP_OR_ONE, LIFE_AREAS


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7", 7),
        ("seven", 7),
        ("7/10", 7),
        ("about a 7", 7),
        ("7 out of 10", 7),
        ("Seven out of ten", 7),
        ("0", 0),
        ("zero", 0),
        ("10", 10),
        ("ten", 10),
        ("a 3 I guess", 3),
        ("maybe 5?", 5),
        ("10/10", 10),
        ("I'd say 4", 4),
        ("  8  ", 8),
        ("8 out of ten", 8),
        ("I should say six. One must not complain.", 6),  # "one" as a pronoun (the ninth set)
    ],
)
def test_scale_accepts_what_people_type(text, expected):
    assert normalise.parse_scale(text) == expected


@pytest.mark.parametrize("text", ["11", "-1", "6 or 7", "7.5", "not sure", "", "lots", "100", "between 3 and 5"])
def test_scale_refuses_what_is_not_one_whole_number_in_range(text):
    assert normalise.parse_scale(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yes", True),
        ("Yeah go on", True),
        ("ok", True),
        ("sure", True),
        ("yes please", True),
        ("👍", True),
        ("I'd like that", True),
        ("that would be nice", True),
        ("no", False),
        ("nope", False),
        ("not really", False),
        ("no thanks", False),
        ("I'm fine on my own", False),
        ("I'd rather not", False),
        ("banana", None),
        ("", None),
    ],
)
def test_yes_no(text, expected):
    assert normalise.parse_yes_no(text) is expected


def test_yes_no_falls_back_to_the_intent_only_when_words_are_unclear():
    assert normalise.parse_yes_no("mm", intent="affirm") is True
    assert normalise.parse_yes_no("mm", intent="deny") is False
    assert normalise.parse_yes_no("no", intent="affirm") is False


@pytest.mark.parametrize(
    "text",
    ["skip", "Skip this one", "I'd rather not say", "pass", "Pass.", "pass thanks", "pass on that one", "next please"]
    + [
        "prefer not to answer",
        "next question",
        "next",
        "pass mate",
        "pass, no idea",
        "Pass this one",
        "pass the question",
    ]
    + ["next, dunno", "next lol", "pass - don't know", "Pass. Family stuff", "next step please", "next, nothing"],
)
def test_skip(text):
    assert normalise.is_skip(text)


@pytest.mark.parametrize(
    "text",
    [
        "I like skipping ropes",
        "passing the time with crosswords",
        "yes",
        # The thirty-fifth session's review: "pass" and "next" opening an answer
        "Pass my driving test",
        "next week I have my op",
        "Next of kin is my daughter",
        "pass the time knitting",
        "pass one exam at least",
        "next few months sorting my money",
        "next bus is never on time",
    ],
)
def test_not_skip(text):
    assert not normalise.is_skip(text)


def test_options_by_number_label_and_keyword():
    assert normalise.match_options("1 and 4", LIFE_AREAS, many=True) == ["loneliness", "money"]
    assert normalise.match_options("2, 11", LIFE_AREAS, many=True) == ["activity", "long_term_condition"]
    assert normalise.match_options("losing weight and my blood pressure", LIFE_AREAS, many=True) == [
        "activity",
        "long_term_condition",
    ]
    assert normalise.match_options("Housing", LIFE_AREAS, many=True) == ["housing"]
    assert normalise.match_options("text me", CONTACT_METHODS, many=False) == ["text"]
    assert normalise.match_options("Phone call", CONTACT_METHODS, many=False) == ["phone"]
    assert normalise.match_options("no idea", CONTACT_METHODS, many=False) == []


def test_single_choice_refuses_two_answers():
    assert normalise.match_options("phone or email", CONTACT_METHODS, many=False) == []


def test_barriers_from_mrs_c_words():
    codes = normalise.match_options(
        "the gym is for younger fitter people, jogging hurt my knees and I'm nervous going on my own",
        BARRIERS,
        many=True,
    )
    assert "confidence" in codes and "pain_mobility" in codes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sue", "Sue"),
        ("my name is Margaret", "Margaret"),
        ("call me Dave please", "Dave"),
        ("I'm priya", "Priya"),
        ("Mr Patel", "Mr Patel"),
        ("Zoë", "Zoë"),
        ("李华", "李华"),
        ("Bob, that's what everyone calls me", "Bob"),
        ("Pat (Patricia on my letters)", "Pat"),
        ("my name is Ann, thanks", "Ann"),
        ("Mr Harold Ashworth. Harold is acceptable.", "Harold"),  # which of the names will do (the ninth set)
        ("My name is Arthur Pemberton. Arthur will do nicely.", "Arthur"),
        ("Mrs Edith Buchanan. Edith is fine.", "Edith"),
        ("just Maureen love", "Maureen"),  # "love" after a first name; "Mr Love" stays
        ("we call her ayeeyo but put Hodan", "Hodan"),
        ("Mrs Kaur is what she's used to", "Mrs Kaur"),  # the ninth set
        ("J. Smith", "J. Smith"),
        ("Elizabeth, but Liz please", "Liz"),
        ("Thomas Reid but just Tom is fine", "Tom"),
        ("Mrs Okoye is fine", "Mrs Okoye"),
        ("just Fran thanks 😊", "Fran"),
        ("its Niamh x", "Niamh"),
        ("Mr Khan if you don't mind", "Mr Khan"),
        ("Hello. My name is Gwendolyn Hughes, but you can call me Gwen", "Gwen"),
        ("Jo. Sorry, typing with one hand", "Jo"),
        ("im zed lol", "Zed"),
        ("Grandma Pat, all the kids call me that", "Grandma Pat"),
        ("Gran, everyone calls me that", "Gran"),
        ("Pip - it's short for Philippa", "Pip"),
        ("Ravi, call me on 07700 900123", "Ravi"),  # "call me" with a time or a number is no name
        ("I'm Liz, please call me after 5", "Liz"),
        ("William. Dont call me Bill", "William"),
        ("Jo but not Joanne", "Jo"),
        ("Peter, but it's up to you", "Peter"),
        ("just Mo hinny", "Mo"),  # the tenth set: a word of affection after the name
        ("Sue pet", "Sue"),
        ("Gemma I guess", "Gemma"),
        ("Mrs Jean Cartwright, but Jean will do", "Jean"),
        ("Petra", "Petra"),
        ("Mr Love", "Mr Love"),  # surnames that are also words of affection (a review's cases)
        ("Mrs Darling is fine", "Mrs Darling"),
        ("Ji Hun", "Ji Hun"),
        ("Sam will do fine", "Sam"),
        ("Siân", "Siân"),  # one word in any alphabet, not "si" and "n" (both words that are no name)
        ("Siân please", "Siân"),
        ("Yas", "Yas"),  # names that are words of yes too (the eleventh set's Yas was skipped)
        ("Roger", "Roger"),
        ("Mum's name is Nasrin", "Nasrin"),  # a daughter typing for her mother
        ("my husbands name is Dev", "Dev"),
        ("my carer's name is Joan, I'm Bill", None),  # someone else's name is asked again, never saved
        ("Sandra bab", "Sandra"),  # the sixteenth set: a Brummie word of affection after the name
        ("Mrs Duck", "Mrs Duck"),  # but a surname after a title
        ("Grace Darling", "Grace Darling"),  # a review's cases: surnames that are words of affection elsewhere
        ("Ian Duck", "Ian Duck"),
        ("I am a bit nervous", None),  # how one is after "I am" is no name: asked again
        ("im so tired", None),
        ("I'm very well thank you", None),
        ("I'm feeling low", None),
        ("I'm scared", None),
        ("im knackered today", None),
        ("I'm a bit nervous, I'm Sue", "Sue"),  # how one is, then the name
        ("bit nervous tbh, its Dave", "Dave"),
        ("I'm Sue, a bit nervous", "Sue"),
        ("I am Joy", "Joy"),  # names that are states too stay names
        ("im grace", "Grace"),
        ("Im Rose", "Rose"),
        ("Mr Well", "Mr Well"),
        ("Margaret, though my friends call me Peggy, either is fine", "Margaret"),  # set 29, read: either will
        ("Margaret or Peggy, either is fine", "Margaret"),  # do, so the first given
        ("Robert - most call me Bob, either will do", "Robert"),
        ("Mohammed, Mo for short, either works", "Mohammed"),
        ("Elizabeth, or Liz", "Liz"),  # without "either", the one it comes to
        ("Either is fine", None),
        ("I'm nervous, first time", None),  # a second review: how one is, then no name
        ("I'm nervous, Sue", "Sue"),
        ("Call me or text me, either is fine", None),  # ways to be reached, not two names
        ("Both fine", None),
        ("first name or surname either is fine", None),  # a third review: kinds of name, no name given
        ("Nickname or real name either is fine", None),
    ],
)
def test_names(text, expected):
    assert normalise.parse_name(text) == expected


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "x" * 80, "1234", "thanks", "yes", "no", "whatever you like", "I don't mind really"],
)
def test_not_names(text):
    assert normalise.parse_name(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("07700 900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900 123", "+447700900123"),
        ("(020) 7946 0018", "+442079460018"),
        ("my number is 07700900123", "+447700900123"),
        ("07700 900 123 after 5pm please", "+447700900123"),
        ("it's my daughter's, 0113 249 6000 (she'll pass it on)", "+441132496000"),
        ("best on 07700-900-123, not before 10", "+447700900123"),
        ("07700 900123 9-5", "+447700900123"),  # a time beside the number is never part of it
        ("07700 900123 (2-4pm)", "+447700900123"),
        ("447700900222", "+447700900222"),
        ("01697 45678 2pm", "+44169745678"),  # not +441697456782: the 2 of 2pm is no digit of it
        ("07700 900123, one more thing - texts only after 5", "+447700900123"),  # a word after the figures
        ("text 07700 900 123 nine till five", "+447700900123"),
        # The sixteenth set: a number said in words, with "oh" and "double"
        ("zero seven seven zero zero, nine zero zero, two zero three", "+447700900203"),
        ("oh seven seven double oh nine double oh one two three", "+447700900123"),
        ("07700 nine zero zero one two three", "+447700900123"),
    ],
)
def test_uk_phone_numbers(text, expected):
    assert normalise.parse_uk_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12345",
        "call me",
        "077009",
        "'; DROP TABLE intakes; --",
        "07700 900123 or 07700 900456",
        "one or two, maybe three",
        "zero seven seven zero zero nine zero zero",  # too short in words as in figures
        "zero seven seven zero zero nine zero zero one two",  # ten digits from 07: no whole number
        "oh seven seven double oh, nine double oh, one two three. no wait, one two four",  # put right: asked again
    ],
)
def test_not_phone_numbers(text):
    assert normalise.parse_uk_phone(text) is None


def test_email():
    assert normalise.parse_email("it's Sue.Smith@Example.org thanks") == "sue.smith@example.org"
    assert normalise.parse_email("sue at example") is None


@pytest.mark.parametrize(
    "text, phone, email",
    [
        # The eighth set: a number put right is the number; two numbers otherwise are none (asked again)
        ("07700 900 412 no hang on thats me old one, its 07700 900 421", "+447700900421", None),
        ("0113 249 6000 is the house, actually use my mobile 07700 900 123", "+447700900123", None),
        ("mobile 07700 900123 and home 0113 249 6000", None, None),
        (
            "h.jones@example.com no sorry that's my old one, helen.jones62@example.com",
            None,
            "helen.jones62@example.com",
        ),
        ("a@example.com or b@example.com", None, "a@example.com"),
        ("jo@example.com, jo@example.com", None, "jo@example.com"),
        # A review's cases: "no" or "old" alone puts nothing right; the first of two addresses stays as before
        ("07700 900412 but if no answer try my son on 07700 900421", None, None),
        ("07700 900412 (old) 07700 900421 (new)", "+447700900421", None),
        ("use sarah@example.com, the old bob@example.org doesn't work", None, "sarah@example.com"),
        ("tom@example.com (new) tom@example.org (old)", None, "tom@example.com"),
        ("it was ann@example.org but now its ann.b@example.com", None, "ann.b@example.com"),
    ],
)
def test_a_number_or_address_put_right_is_the_last_one(text, phone, email):
    assert normalise.parse_uk_phone(text) == phone
    assert normalise.parse_email(text) == email


def test_clean_text_keeps_every_script_and_emoji_but_drops_control_characters():
    assert normalise.clean_text("  hello\x00 world \u202e 😀 مرحبا\n") == "hello world \u202e 😀 مرحبا"


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "None",
        "nothing really",
        "I don't have one",
        "no code",
        "n/a",
        "nope, none for me",
        "not really, no",
        "No, I'm ok thanks",
        "nothing at all thank you",
        "nowt",  # the tenth set: Yorkshire and Geordie "nothing"
        "nowt for me",
        "don't think so",
    ],
)
def test_means_nothing(text):
    assert normalise.means_nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "nothing really, just can't manage stairs",
        "none, but I use a walking stick",
        "no, I need large print",
        "not really, only that I'm deaf in one ear",
    ],
)
def test_nothing_that_goes_on_is_kept_in_the_persons_words(text):
    assert not normalise.means_nothing(text)


@pytest.mark.parametrize(
    "text, none",
    [
        ("no, I get around fine", True),
        ("None, thank you for checking", True),
        ("nope, eyes and ears both fine", True),
        ("no need", True),
        ("naw, nane", True),  # the eleventh set: Scots, Welsh ("dim"), a lone "n", Yorkshire
        ("nane", True),
        ("dim, none", True),
        ("n", True),
        ("nowt like that", True),
        ("dim lighting please", False),
        ("none really, I just can't manage steps", False),
        ("no, but I'd need somewhere with a lift", False),
        ("I use a wheelchair", False),
        ("Nothing fiddly with buttons or small writing, my hands", False),  # the sixteenth set: "nothing" + a need
        ("no, crowds don't bother me", True),  # a review's cases: a need word said to be no bother
        ("nope, my hands are grand", True),
        ("Nothing too far on foot, because of the hip", False),  # the twentieth set: what to avoid is a need
        ("nothing too early, I'm slow in the mornings", False),
        ("nothing, thanks", True),
        ("probably not, no", True),  # the twenty-fifth set, read
        ("probs not", True),
        ("probably not, but I can't walk far", False),
    ],
)
def test_no_access_needs_in_their_own_words(text, none):
    assert normalise.means_no_needs(text) is none


def test_a_name_followed_by_many_symbols_is_read_at_once():
    """The tail of a name is stripped without a backtracking regex: this once ran for over a minute."""
    import time

    started = time.perf_counter()
    normalise.parse_name("Jo" + "!" * 40 + " here")
    normalise.parse_name("Sam" + "\U0001f60a" * 40 + " thank you")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SH 2094 or is it SH2049", None),  # two codes, however typed: asked again
        ("WM-4821 or WM4812", None),
        ("the code on the letter is SH2094, dated 3rd May", "SH2094"),  # a date is no code
        ("WM-4821, I typed WM4821 before", "WM-4821"),  # one code typed two ways
    ],
)
def test_codes_among_words(text, expected):
    assert normalise.parse_code(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("she likes Nasreen", "Nasreen"),  # typing for someone else
        ("Mum wants to be called Mrs Begum", "Mrs Begum"),
        ("her name is Joan", "Joan"),
        ("my names Bernadette but everyone calls me Bernie", "Bernie"),
        ("Sandra, or Sandy, but Sandra's fine", "Sandra"),
        ("His name is Abdirahman but everyone calls him Abdi", "Abdi"),
        ("call her Mags please", "Mags"),
        ("he says Mr Hussain please, hes old fashioned like that", "Mr Hussain"),
        ("mum says Rahima", "Rahima"),
        ("Maureen but everyone calls us Mo", "Mo"),  # the fourteenth set: the North's "us" for "me"
        ("call us Carlo", "Carlo"),  # the twentieth set: the same "us", in a short answer
        ("just call us Jen", "Jen"),
        ("call us on the landline", None),  # the thirty-second session's review: a way to call, not a name
        ("everyone calls us Mo", "Mo"),  # the thirty-second session's review: the "call" words alone
        ("call me Monica", "Monica"),  # a day's short form starts it, but it is a name
        ("call me Sun", "Sun"),
        ("Joan. call me tomorrow if you need anything", "Joan"),  # a sentence about ringing after the name
        ("Jo, call me on the landline", "Jo"),
        ("Mrs Patel. Call me after 6 please", "Mrs Patel"),
        ("Rebecca, call me Becky, call me after 4", "Becky"),  # the thirty-fourth session's review
        ("Morning! call me after 12", None),
        ("Hiya! call me on the landline", None),
        ("call me please", None),  # the thirty-third session's review
        ("call me mornings", None),
        ("call me anytime", None),
        ("just call me what you like", None),
        ("Derek. Nah, Del, nobody calls me Derek except me mom", "Del"),  # the fifteenth set: put right
        ("Well I'm Dorothy, but my late husband always called me Dot, so Dot would be nice.", "Dot"),
        ("Jo, no, Joanne", "Joanne"),
        ("Mary, no need for the surname", "Mary"),
    ],
)
def test_a_name_given_for_someone_else_or_with_everyday_slips(text, expected):
    assert normalise.parse_name(text) == expected


@pytest.mark.parametrize(
    "text, options, expected",
    [
        ("phone call please I use a screen reader and texts are a pain", CONTACT_METHODS, ["phone"]),
        ("text, no calls, I get anxious on the phone", CONTACT_METHODS, ["text"]),
    ],
)
def test_one_choice_beside_another_turned_down(text, options, expected):
    assert normalise.match_options(text, options, many=False) == expected


def test_the_choice_named_more_often_is_the_choice():
    said = "I'd probably start one to one and then maybe a group later, but one to one to start"
    assert normalise.match_options(said, GROUP_OR_ONE, many=False) == ["one_to_one"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'd rather someone came with me to be honest, I haven't been anywhere on my own in ages", True),
        ("no, I can go on my own", False),
    ],
)
def test_the_questions_own_no_words_negated_are_no_no(text, expected):
    assert normalise.parse_yes_no(text.lower(), yes_cues=COMPANY_YES, no_cues=COMPANY_NO) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my husband calls me useless but I'm Jean", "Jean"),
        ("he prefers not to say", None),
        ("she likes to be called by her first name", None),
        ("she wants to know why", None),
        # A greeting or a name before "call me" and a time (the thirty-fourth session's review)
        ("Hi, call me anytime", None),
        ("Hello. Call me tomorrow please", None),
        ("Hiya call me after 3", None),
        ("Sandra call me anytime", "Sandra"),
        ("Just call me after 5", None),
        ("Good morning, my name is Jane", "Jane"),
        ("Ok call me tomorrow", None),  # the review: a courtesy before "call me" and a time is no name
        ("Cheers call me tomorrow", None),
        ("hiya raj here call me after 6pm", "Raj"),
        ("Carol ring me after 4", "Carol"),
        ("My name is Ann and you can ring me after 6", "Ann"),
        ("Morning Sue here", "Sue"),
        ("she's called Doris", "Doris"),
        ("Hi there", None),  # a greeting with no name: asked again (it was kept whole until the thirty-ninth session)
        # The thirty-fifth session's review: a yes or a courtesy before the words that give the name
        ("Yes it's Amir", "Amir"),
        ("ok its Hannah", "Hannah"),
        ("thanks, I'm Derek", "Derek"),
        ("Hi all, Ken here", "Ken"),
        ("Im called Dot", "Dot"),
        ("Ta Thi Lan", "Ta Thi Lan"),
        # The thirty-sixth session's review: a yes, a thanks or a greeting to the bot, then the name
        ("Yes, Amir", "Amir"),
        ("Ok, Jo", "Jo"),
        ("Thanks, Imogen", "Imogen"),
        ("Sure, Mrs Patel", "Mrs Patel"),
        ("Yes. Amir Khan", "Amir Khan"),
        ("Hi Allie, I'm Ros", "Ros"),
        ("thanks for asking, I'm Sue", "Sue"),
        ("I am called Bob", "Bob"),
        ("Alright Bab", None),  # a word of affection, not a name
        ("Ok, Sorry", None),  # the thirty-seventh session's review: after "ok," a reply is no name
        # The thirty-seventh session's review, kept whole before: a reply or someone addressed is no name; a word of
        # affection after a courtesy or after the name is no part of it
        ("Thanks, Doctor", None),
        ("OK, Done", None),
        ("Ok, Next", None),
        ("Ok, will do", None),
        ("Ok hun, it's Kerry", "Kerry"),
        ("thanks love, I'm Pat", "Pat"),
        ("Yes pet, call me Mo", "Mo"),
        ("Sue dear", "Sue"),
        ("Sue pet", "Sue"),
        ("Mrs Love", "Mrs Love"),
        ("Mr Duck", "Mr Duck"),
        ("Will", "Will"),
        ("Doc", "Doc"),
        # The thirty-eighth session's review, wrong before and after: a reply said to someone holds no name; a greeting
        # or a thanks said to someone comes before the name
        ("Ok hun", None),
        ("ok duck", None),
        ("Ok, Will", "Will"),  # a name that is also a word, in capitals after a yes (a second review)
        ("Ok, will", None),
        ("ok, Chuck", "Chuck"),
        ("Hi Chuck here", "Chuck"),
        ("Courtney Love", "Courtney Love"),
        ("Assalamu alaikum, I am Fatima", "Fatima"),
        ("asalamualaikum, Fatima here", "Fatima"),
        ("Salaam", None),
        ("hiya hun its jade x", "Jade"),
        ("Alreet pet, am Shaun", "Shaun"),
        ("Awrite, ma name's Callum", "Callum"),
        ("Thanks, Doc", None),
        ("am fine", None),
        ("Ok Hun its Kerry", "Kerry"),  # a third review
        ("Thanks Hun", None),
        ("Derek Mate", "Derek"),
        ("Howay man, it's Gazza", "Gazza"),
        ("hey up, I'm Trev", "Trev"),
        ("am called Rosie", "Rosie"),
        ("Sat sri akal ji, I am Gurpreet", "Gurpreet"),
        ("Asalam o alaikum, my name is Nadia", "Nadia"),
        ("Dzień dobry, jestem Kasia", "Kasia"),
        ("Rajesh Pal", "Rajesh Pal"),  # a fourth review: names that end in a word said to someone elsewhere
        ("Chi Man", "Chi Man"),
        ("alright pal", None),
        ("Thanks, Nana", "Nana"),
        ("Salaam alaikum", None),
        ("Yes, Mum", None),
        ("Hiya love", None),
        ("hello love", None),
        ("Good morning", None),
        ("Aye hen, it's Morag", "Morag"),
        ("Hiya love, Sharon here", "Sharon"),
        ("Ey up me duck, it's Pauline", "Pauline"),
        ("Thanks Doctor, I'm Ron", "Ron"),
        ("Hi Doc, Pete here", "Pete"),
        ("Morag hen", "Morag"),
        ("Grace Darling", "Grace Darling"),
        ("Chuck", "Chuck"),
        ("Mum", "Mum"),
        # A second review: a name that is also a word, given with naming words or after a greeting, is the name
        ("I'm Will", "Will"),
        ("Hi, it's Chuck", "Chuck"),
        ("Morning, Will", "Will"),
        ("Hi Doc", "Doc"),
        ("hi doc", None),
        ("Andy Flower", "Andy Flower"),
        ("Yes Nan", None),
        ("ok ducky", None),
        ("ey up", None),
        ("Ey up, Tom 'ere", "Tom"),
        ("Howay pet, it's Bob", "Bob"),
        ("alright our kid, it's Liam", "Liam"),
        ("Salaam, I am Fatima", "Fatima"),
        ("Hello Dr Khan, I'm Asif", "Asif"),
        ("me name's Wayne", "Wayne"),
        ("Cheers pet, it's Gemma", "Gemma"),
        # The twenty-fifth set, read: a whole name, then the one to use
        ("Mrs Joan Hartley, though Joan will do.", "Joan"),
        ("Gwyn Price. Gwyn.", "Gwyn"),
        ("Dr Alison Marsh. Alison, if you must.", "Alison"),
        ("Catherine, or Cath", "Cath"),
        ("Mr Adeyemi is fine. Or Tunde.", "Tunde"),  # a courtesy's word as a name, with no words of naming after it
        ("yeah im kev", "Kev"),
        ("Ok thanks its Becky", "Becky"),
        ("Yes hi it's Amir", "Amir"),
        ("yep its Aled", "Aled"),
        ("Yes my name Amir", "Amir"),
        ("Yes I'm called Jo", "Jo"),
        ("Sure I'm a bit nervous", None),  # the thirty-sixth session's review: no name after the words of naming
        ("Right I'm off to work", None),
        ("Yes it's for my mum", None),
        ("ok I'm not giving my name", None),
    ],
)
def test_words_about_a_name_are_no_name(text, expected):
    assert normalise.parse_name(text) == expected


@pytest.mark.parametrize("text", ["I want to go on my own", "I'm content on my own"])
def test_words_ending_in_nt_are_no_negation(text):
    assert normalise.parse_yes_no(text.lower(), yes_cues=COMPANY_YES, no_cues=COMPANY_NO) is False


@pytest.mark.parametrize(
    "said, offer, expected",
    [("no, it is ok", True, False), ("nah I'm good thanks", True, False), ("no that's fine", False, True)],
)
def test_no_then_all_is_well_declines_only_an_offer(said, offer, expected):
    """To "would you like..." the "it's ok" can only decline; to "are you happy to go on?" "no, that's fine" means "no problem"."""
    assert normalise.parse_yes_no(said, offer=offer) is expected


def test_not_after_keeps_a_pattern_from_matching_just_after_the_words():
    import re

    pattern = re.compile(normalise.not_after("would", "'d") + r"\bhelp\b")
    assert pattern.search("I need help") and not pattern.search("that would help") and not pattern.search("it'd help")


@pytest.mark.parametrize(
    "text, expected",
    [("about a for", 4), ("for out of ten", 4), ("i'd say for", 4), ("to", 2), ("ate", 8), ("for me", None)]
    + [("for or five", None), ("3 or for", None), ("six or so for me", 6)]  # two numbers, one heard as a word
    + [("for, or five", None), ("it was a for or a five", None), ("for maybe five", None)],
)
def test_a_number_voice_typing_wrote_as_a_word_is_read_only_as_a_whole_short_answer(text, expected):
    assert normalise.parse_scale(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("everyone calls me Wed", "Wed"), ("everybody calls him Sunny", "Sunny"), ("call me Wed", None)],
)
def test_nobody_is_called_a_time_so_a_day_after_everyone_calls_me_is_a_name(text, expected):
    assert normalise.parse_name(text) == expected


def test_punctuation_said_aloud_is_put_back_as_marks():
    assert normalise.spoken_punctuation("yes that's fine full stop") == "yes that's fine."
    assert (
        normalise.spoken_punctuation("Gary Full Stop call me after 5 comma thanks") == "Gary. call me after 5, thanks"
    )


def test_skipping_something_in_ones_life_is_no_skip_of_the_question():
    assert not normalise.is_skip("I'm starving by teatime cos I skip my dinner to make it stretch")  # the 23rd set
    assert not normalise.is_skip("skip meals most days")
    assert normalise.is_skip("skip this one") and normalise.is_skip("can we skip the question")
    for asked in ("skip the personal questions", "can we skip the scores", "skip the money one", "skip a couple"):
        assert normalise.is_skip(asked), asked  # the review: what to skip named after "skip"


def test_a_score_given_ahead_for_the_worthwhile_one_is_set_aside():
    assert normalise.parse_scale("5, and before you ask the worthwhile one is a 9, he's worth it") == 5  # the 23rd set
