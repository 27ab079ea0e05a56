"""The reviewed risk phrase list (data/safety/risk_phrases.yml) and its matcher.

Positives are worded the way patients write, not copied from the patterns, so
a pattern that only matches its own literal text fails here. Negatives are
ordinary intake answers that share words with risk phrases ("hurt", "died",
"scared", "stroke") and must not interrupt the conversation.
"""

from __future__ import annotations

import re
import sre_constants
import sre_parse
from pathlib import Path

import pytest
import yaml

from bot.intake.risk import CATEGORIES, PHRASES_FILE, detect_risk, load_patterns

ROOT = Path(__file__).resolve().parents[2]
SAFETY_NLU = ROOT / "data" / "nlu" / "safety.yml"
NLU_DIR = ROOT / "data" / "nlu"

SUICIDE = [
    "honestly I don't want to be around anymore",
    "i just cant go on",
    "I can't keep going, I'm so tired of it",
    "there's no point living like this",
    "no point in going on really",
    "I want to die",
    "some nights i wanna die",
    "I wish I were dead",
    "hoping I don't wake up in the morning",
    "i want to end my life",
    "ive thought about ending my own life",
    "I've got tablets stockpiled in the drawer",
    "been saving up my sleeping pills",
    "I've been putting my tablets by for a while now",
    "keeping a few of my sleeping pills aside",
    "I keep thinking about jumping in front of a lorry",
    "thought about jumping off the multi storey",
    "i feel suicidal again",
    "my family would be better off without me around",
    "life isn't worth living since he went",
    "im going to kill myself",
    "I've been thinking about suicide",
    "I wont be here by christmas",
    "I've lost the will to go on",
    "i'm tired of being alive",
    "what's the point of me being here",
    "i'm planning to take all my tablets at once",
    "I can't see a way out",
    "I've been having thoughts of ending things",
    "nobody would notice if I wasn't here",
    "sometimes I wish I could go to sleep forever",
    "im worried i'll do something daft",
    "honestly cant be bothered living",
    "I've got a stash of pills",
    "I'm a waste of space and the world would be better without me",
    "dont wanna live",
    "you won't have me as a burden for much longer",
    "I've made my goodbyes to the people who matter",
    "not planning on being around much longer to be honest",
    "sign me up for the walks if I'm still around by then",
    "I'm ready to go and be with my Jim",
    "I just want to join my wife in heaven",
    "spent an hour looking over the edge of the bridge",
    "some days I just want to jump",
    "I sat in the garage last night with the engine running",
    "I've got a hosepipe ready for the exhaust",
    "Dw i ddim eisiau byw",
    "czasem myślę, że chcę umrzeć",
    "ab nahi jeena mujhe",
    "vreau să mor",
    "quiero morirme",
    "I've thought about topping myself more than once",
    "no point planning the group, I won't be here in a few weeks",
    "honestly nobody would miss me at all",
    "I've been giving away all my things to the charity shop and my neighbours",
    "it'll all be easier for them when I'm not around any more",
]

SELF_HARM = [
    "I've started cutting again",
    "ive been cutting my arms",
    "I cut my arms again last night",
    "ive cut my thighs again",
    "i slashed my arms again last night",
    "cut my arms again last night when it all got too much",
    "I cut my arms again last night on purpose",
    "cut my arms again this morning, nothing helps",
    "i cut again last nite",
    "I cut myself on broken glass on purpose",  # a second review: on purpose outweighs how it happened
    "I hurt myself on the stairs on purpose",
    "I've been cutting myself at work in the toilets",  # a third review: where it happens is no accident
    "i've been starving myself at work, i dont eat all day",
    "I cut my arms again last night, I can't face work",
    "i've been cutting myself on glass again",  # a fourth review: how it happened does not spare a cut said so
    "i bash myself on the table when it gets bad",
    "these days i mostly just cut, its the only thing that takes the edge off",  # set 28, read
    "cutting myself is the only thing that helps",
    "I scratch at my skin until it bleeds",
    "I sometimes hurt meself",
    "been burning myself with cigarettes",
    "I keep starving myself",
    "I've been self-harming",
    "I still cut when things get bad",
    "i bang my head on the wall",
    "I'm scared of what I might do to myself",
    "ive been burning my arms",
    "I've been punching myself",
    "I sh'd again last night",
    "I've been clean from sh for a year but relapsed on sh",
    "still getting sh urges most nights",
    "I wear a cardigan even when it's hot to hide the scars",
    "took a razor to my arm again",
    "I hide the cuts from work",
    "covering up the cuts from the brambles and the ones I did myself",
    "tnę się od roku",
]

HARM_TO_OTHERS = [
    "I'm worried I could hurt someone",
    "sometimes I think I might hurt my kids",
    "I feel like I could kill him",
    "I'm frightened I'll lash out at my partner",
    "i keep having violent thoughts",
    "I want to stab someone",
    "I've been hitting my son",
    "I'm scared of what I'll do to him",
    "i have urges to hurt people",
    "I get urges to hurt other people when I'm angry",
    "sometimes I think I could hurt other people",
]

ABUSE = [
    "you get a good hiding off him if you talk back",  # 2026-12-07: a blow from someone as what happens if
    "my son gets a thump off his dad when he's drunk",
    "he hits me when he's had a drink",
    "my husband beats me",
    "my boyfriend hurt me again last night",
    "she threatens me all the time",
    "my partner controls me",
    "I'm frightened of my partner",
    "I'm scared of my son",
    "my wife won't let me see my family",
    "he won't let me out of the house",
    "I'm scared to go home",
    "I don't feel safe at home",
    "my daughter takes all my pension",
    "my carer slapped me",
    "he kicked me in the stomach",
    "I'm being abused",
    "he's very controlling and gets violent",
    "I'm in an abusive relationship",
    "my son in law pushes me and shouts at me",
    "my grandson takes my money and threatens to put me in a home",
    "someone at home is hurting me",
    "he says he'll kill me",
    "my boyfriend won't let me see my mum",
    "my step dad locks me in the bedroom",
    "they kept the kids locked up with no food",
    "I have to sleep with him or I'm out on the street",
    "the little ones over the road get left on their own for days",
    "my granddaughter says he does things to her that she doesn't like",
    "some man on snapchat keeps asking my daughter for pictures",
    "my 13 year old was asked for nudes",
    "mera shohar mujhe maarta hai",
    "mąż mnie bije",
    "her grandson keeps taking her pension and she's frightened of him",
    "the staff at his home hit him when nobody's looking",
    "she keeps shouting that she's going to kill me",
    "they're gonna hurt me if I tell anyone",
]

MEDICAL_EMERGENCY = [
    "ring me please, I've just swallowed a load of my sleeping tablets",  # 2026-12-07
    "think it's the nuts, my throat is closing up",
    "I've got chest pain",
    "pains in my chest and my arm",
    "I think he's having a heart attack",
    "I think I'm having a stroke",
    "his face has dropped",
    "her face dropped on one side",
    "I can't breathe",
    "cant breath",
    "my husband has collapsed",
    "she's unconscious",
    "I'm bleeding heavily",
    "I took an overdose",
    "I've taken too many pills",
    "I took too many of my painkillers",
    "my speech is slurred",
    "my mum's having a seizure",
    "need an ambulance now",
    "I've got a crushing feeling in my chest",
    "I think I'm dying",
    "my arm and leg have gone weak on one side",
    "the baby's not breathing",
]

# One sentence of our own for each pattern added on 2026-12-01, and the new category.
SUICIDE += [
    "i've worked out how i'd do it",
    "honestly i want too die",
    "some days i think about driving into a wall",
    "I can't see the point in carrying on",
    "whats the point of me",
    "I won't be around much longer",
    "I won't be here for christmas",
    "I won't need them where i'm going",
    "my family doesn't need me",
    "the kids would be better off without me",
    "if I wasn't here anymore",
    "I've sorted my will so nobody has to deal with it",
    "it wouldn't be bad if the bus didn't stop",
    "I keep having thoughts of not wanting to be here",
    "it would be peaceful to just not wake up",
    "go to sleep one night and never wake up",  # 2026-12-07: words between the sleep and the not waking
    "I'd settle for falling asleep some night and not having to wake up again",
    "be nice to never have to wake up again",
    "I've got the tablets laid out in front of me",
    "i'm on the bridge right now",
    "I'm typing this from the roof",
    "tonight's the night",
    "I'm going to do it tonight",
    "thinking about unaliving myself",
    "I've picked a date to do it",
]
SELF_HARM += [
    "I keep a blade hidden for when I need it",
    "I did it on purpose to feel something",
    "I take extra paracetamol on purpose",
    "I pick my skin until it bleeds",
    "i cut whenever everything gets on top of me",
    "honestly I cut sometimes when I'm really low",
    "I do the cutting on my hips so nobody sees",
    "my burns are on my tummy where no one would look",
    "i keep the cuts on my legs so people dont notice",
    "the marks on my arms, I keep them hidden with long sleeves",
    "the cuts on my wrists are covered with plasters",
    "I tell everyone the cuts are from the cat",
    "i told people the burns were from cooking",
    # The thirty-fourth session's review: cutting kept out of sight, a cover story to one person or said untrue
    "I cut where no one will see",
    "I make sure the cuts are on my thighs so no one notices",
    "burns on my legs, nobody sees them",
    "cuts r on my arms where nobody looks",
    "I told the school nurse the burns were from the oven but they weren't",
    "I tell my dad the scars are from the dog",
    "the marks are from the cat but I did them myself",
    "i only cut my arms where people can't see",  # the review of those rows
    "told the doctor the burns were an accident but they weren't",
    "i tell my nan the scratches are from the cat",
    "said the burns were from the iron but i did them",
    "cuts on my inner thighs where no one looks",
    "cutting on my legs again, nobody knows",
    "nobody knows about the cuts on my stomach",
]
HARM_TO_OTHERS += [
    "I'm going to properly hurt him",
    "gonna smash his face in",
    "I have thoughts about hurting strangers",
    "I'm getting hold of a knife to sort him out",
    "I had my hands round his throat",
    "I've planned how to hurt him",
]
ABUSE += [
    "I have to ask his permission to go out",
    "I lock myself in the bedroom when he drinks",
    "he said he'd take the kids and I'd never see them",
    "if I tell anyone he will kill me",
    "he controls my money",
    "my parents are forcing me to marry",
    "my ex keeps following me",
    "she hits me",
    "if he finds out I'm on here I'll be in trouble",
    "my stepdad hits the kids",
    "he keeps coming into my room at night",
    "she's hanging around with older men",
    "she's 14 and she has a 22 year old boyfriend",
    "my son is being made to sell drugs",
    "he comes home with bruises",
    "I left the kids on their own overnight",
    "the kids hide under the bed when he shouts",
    "the home left him in dirty sheets",
    "some men moved into my flat and won't leave",
    "they're pushing my nan into signing her house over",
    "a man keeps threatening him and wants more money",
    # The twentieth set: "handy" as a fist, and a cover story for the marks
    "he gets handy when he's had a drink",
    "my fella can get a bit handy with me",
    "last time I had to tell work I walked into a cupboard door",
    "He's been handy with me a few times",  # the thirty-second session's review
    "When he's drunk he gets handy.",
    "She gets handy with the belt when I wet myself",
    # The thirty-third session: handy when a demand is not met; a cover story taken back
    "Hubby gets handy if his tea's not ready",
    "My son gets handy when he wants money off me",
    "Told the GP I fell down the stairs, I didn't, it was him",
    # The thirty-third session's review: more ways a demand not met
    "he gets handy if dinner isn't ready",
    "he's handy when the tea's cold",
    "my ex got handy when he needed money",
    "Me husband gets handy wi me when his tea's late",
    "he gets handy if the kids are loud",
    "my partner gets handy if I go out without asking",
    "he gets handy when he doesn't get his own way",
    "told the doctor I banged my head on the cupboard, I didn't, he did it",
    "He made me say I walked into the kitchen door",
    "I have to lie to my sister and say I walked into a door",
    "He leaves marks where no one can see",
    "she only leaves bruises where people won't notice",
]
MEDICAL_EMERGENCY += [
    "I took all my antidepressants an hour ago",
    "I've swallowed my mum's pills",
    "I took an od",
    # The sixteenth set: a medicine named, in Scots
    "took the whole box of ma sertraline aboot an hour ago. feelin weird noo",
    "necked a packet of me citalopram",
    # The eighteenth set: the rest of a packet, taken at once
    "took the rest of my paracetamol this morning, the whole packet",
    "had whats left of the co-codamol in one go",
    # The nineteenth set: most of a box
    "swallowed most of the packet of my dad's tramadol",
    "I've had half a box of paracetamol tonight",
]
UNSAFE_NOW = [
    "I have to leave my 6 year old home alone when I work nights",  # 2026-12-07
    "there's no food for the baby",
    "I can't feed my kids today",
    "nothing to eat in the house and the toddler is hungry tonight",
    "haven't eaten for three days",
    "I've got nowhere to sleep tonight",
    "I'm sleeping in my car at the moment",
    "we got locked out with the kids",
    "evicted today",
    "my mum has dementia and she's on her own",
    "I'm leaving my disabled son on his own overnight",
    "the carer never turned up and dad can't get out of bed on his own",
    "no heating with a newborn",
]

POSITIVES = (
    [(text, "unsafe_now") for text in UNSAFE_NOW]
    + [(text, "suicide") for text in SUICIDE]
    + [(text, "self_harm") for text in SELF_HARM]
    + [(text, "harm_to_others") for text in HARM_TO_OTHERS]
    + [(text, "abuse") for text in ABUSE]
    + [(text, "medical_emergency") for text in MEDICAL_EMERGENCY]
)

NEGATIVES = [
    "I cross the bridge to work then the bus, not sure if it would be quick enough",  # how long a journey takes
    "the bridge club on tuesdays, not sure if it'd be quick to learn",
    "our flat is on the top floor and the lift is broken, I'd love to know if it would be quicker to move",
    "the roof needs fixing, whether it would be quick or not is up to the landlord",
    "Need to drop my prescription off at the chemist, wondering if it'd be quick",  # the review: a drop-in, not
    "Went to the bridge club and they asked if I'd be quick",  # a drop; someone asked; "I'd be quick" is speed
    "Balcony needs painting, asked my son if itd be quick",
    "We did the cliff walk at Saltburn, lovely, but my knees, didn't know if it would be quick",
    "Dental bridge fitted next week, I want to know if it'll be painless",
    "The bridge on the A59 is shut for repairs, no one knows if it'll be quick",
    "there's a drop in at the library on thursdays, I'd try it if it would be quick",
    "Knitting group meets on the top floor of the library, not sure if I'd go straight away",
    "I cut my arm again on the brambles",  # 2026-12-07: a cut said with how it happened, a finger, a leg
    "I cut my finger again chopping onions",
    "cut my leg again last night on the trampoline",
    "I cut my arms shaving again",
    "I cut my arm again last night on the fence",  # the review: how it happened said after
    "I cut my arm again last night, the dog pulled me into the hedge",
    "Cut my arm again last night taking the bins out",
    "cut myself shaving again this morning",
    "I cut myself on broken glass washing up",
    "I cut my arms up on the brambles",
    "they cut my stomach again for the op",  # a second review: surgery, accidents, hairdressers
    "fell over and cut my arm again",
    "I cut my arms again yesterday, the roses are vicious",
    "I still cut sometimes at the salon",
    "retired barber, still cut sometimes for friends",
    "I hurt myself lifting boxes",
    "hurt myself on the bike",
    "I hurt myself doing DIY",
    "cut my legs again shaving",
    "i cut my thighs yesterday on my bike",  # a third review: cuts from sport, holidays, the garden, a barber's day
    "cut my legs up on my bike",
    "cut my arms up last night pulling weeds",
    "cut my legs again today at the beach",
    "I'm a barber, I cut again today after my break",
    "I cut my arms yesterday when I fell off my bike",  # a fourth review
    "i cut my arms again yesterday moving furniture",
    "Paper cutting is the only thing that calms me, it's my hobby",
    "candle burning is the only thing that calms me",
    "I cut again yesterday, the grass was so long",
    "I cut hair, it helps pay the bills",
    "my fringe was in my eyes so I cut it, that helps",
    "they cut my hours, it's the only thing that pays",
    "we got a battering on saturday, 4 nil",  # 2026-12-07: a blow that names nobody it comes from
    "we got a hiding when we played Rovers",
    "the dog gets a smack if he chews the sofa",
    "I need to get a belt for these trousers",
    "I take a lot of tablets for my heart",  # 2026-12-07: tablets taken as prescribed, a throat that is only sore
    "I've had a lot of tablets over the years",
    "my throat is sore and the shop was closed",
    "we left the 9 year old with nan overnight",
    "I go to bed at ten and never wake up before seven",
    "in bed by 9 and dont wake up till 8, sleep is good",
    "I go to bed early and dont wake up when the baby cries",
    "I wear long sleeves to hide the scars from my knee operation",
    "I told the nurse the burns were from cooking",
    "the cuts are from the cat but they aren't deep",
    "burns on my arms from the oven, nobody sees them",
    "I cut the grass where nobody can see me",
    "my son says the marks are from football",
    "I tell my mum the scars are from the op and they are",
    "the marks were from the dog but it wasn't on purpose",  # the review: a "but" about something else
    "the cuts were from the garden but they aren't healing",
    "my burns were from a kettle but they weren't my fault",
    "I got burns on my arms at work and no one can tell now",
    "cover up the scars from my open heart surgery",
    "the cuts to my bus route mean people can't get to town",
    "my cuts and bruises from the fall are where people can see them",
    "my burns from the oven are where people can see",
    "the buses round here have been cut so I can't get to the lunch club",
    "my hours have been cut and I'm struggling",
    "the scars on my arm from the op, I keep them covered with long sleeves",
    "I told the nurse the scratches are from the cat",
    # The thirty-fourth session's review: marks with a cause, healing, chores and symptoms, a cover story that is true
    "scars on my legs after surgery I cover with make up",
    "marks on my arms cos of eczema I cover with long sleeves",
    "the psoriasis marks on my arms I hide under long sleeves",
    "My burns are healing so nobody can tell now",
    "my cuts have healed so nobody can see them now",
    "I do wood cutting in my garage where no one can see the mess",
    "I get a burning in my stomach so no one can tell what's wrong",
    "with the cuts to my care package so nobody can look in on me at night",
    "I tell everyone the scars are from the cat, and they are, she's vicious",
    "I always tell people the scars are from falling through a window as a kid, which is true",
    # Marks and cuts that are not on a person, or are from the garden; DIY "handy"; a fall that was a fall
    "I covered up the marks on the wall",
    "I cover up the cuts from the brambles",
    "my dad gets handy when something needs fixing",
    "I told the doctor I fell over and it was true",
    # The thirty-third session's review: "handy" as help, and falls that were falls
    "my son is really handy when I can't get out",
    "my son was handy when he wanted money, he'd wash cars for the neighbours",
    "my son is handy when the tea's ready, he lays the table",
    "my partner is handy if I don't get home in time, picks the kids up",
    "I told the doctor I fell over but I didn't break anything",
    "told the GP I slipped on ice, it wasn't that bad though",
    "told my daughter I fell in the garden, I didn't want her worrying",
    "I told them I fell down the stairs, it was my dad who found me",
    "I told my husband I tripped, it was him that took me to A&E",
    "I said I fell down the stairs, I didn't lie, I really did",
    "I'd hide the marks on the kitchen wall",
    "my husband is handy when it comes to DIY",
    "my son gets handy with the tools when he's bored",
    "my dad is quite handy with his hands, he built our shed",
    "I walked into a door at work, what a klutz",
    "I had to tell the nurse I fell down the stairs last month",
    "my son is handy with me phone, he sets it all up",  # the North's "me" for "my"
    "My daughter is really handy with me shopping, she brings it round every week",
    "my husband is handy with me wheelchair, he takes it apart for the car",
    "I used to lie about the bruises from rugby so mum would let me play",
    "I covered up my bruises with makeup for my daughter's wedding after my fall",
    "my partner is handy",
    "I bruise easily, I have marks where everyone can see them",
    "the removal men left marks on the wall",
    "I put my tablets away in the cupboard out of reach of the grandkids",
    "I keep my tablets by the kettle so I remember them",
    "I'm putting my tablets back for the morning",
    "took the rest of my antibiotics last week, the whole course",
    "I took the rest of the paracetamol to work with me",
    "had most of a box of chocolates since tea time",
    "I've half a box of paracetamol left in the cupboard",
    # The ones the brief names: part of a normal intake.
    "jogging hurt my knees",
    "my knees hurt",
    "the gym is for younger, fitter people",
    "I'm nervous about going on my own",
    "my husband died last year",
    "I'm stressed about money",
    "I feel low sometimes",
    "I'd like to stop smoking",
    "it hurts to walk far",
    "I'm dying to get out of the house more",
    "I cut the grass when it's dry",
    "I cut back when money is tight",
    "I cut hair because I trained as a barber",
    "I'm a hairdresser, I cut when the salon's open",
    "i cut if the hedge gets too high",
    "I cut cos I'm the only one in the family who can do hair",
    "i cut when i'm cooking for the grandkids",
    "I've cut down on sugar because of my diabetes",
    "I want to lose weight",
    "blood pressure",
    # Ordinary answers that share words with risk phrases.
    "my phone is dead",
    "my wife died of cancer in 2020 and I miss her",
    "I'm scared of falling",
    "I'm afraid of going out in the dark",
    "I had a stroke in 2019",
    "since my stroke I walk with a stick",
    "I had a heart attack three years ago and want to get fitter",
    "I get out of breath walking uphill",
    "I struggle to breathe when I climb the stairs",
    "I can't catch my breath when I walk fast",
    "my tablets are ready to collect at the chemist",
    "I take a lot of tablets for my heart",
    "I'm on too many tablets if you ask me",
    "I've been cutting down on sugar",
    "I want to stop cutting corners with my diet",
    "the stairs kill my knees",
    "my back is killing me",
    "my daughter helps me with my shopping",
    "my son pushes me to get out more",
    "I don't want to live in this flat any more",
    "I don't want to go on the bus on my own",
    "I can't go on long walks any more",
    "I'd hate to hurt her feelings",
    "I've cut myself off from my friends",
    "I take myself off for a walk most days",
    "the landlord threatened to evict me",
    "my knees won't let me go out much",
    "I had a lot of blood tests last month",
    "I get terrible headaches",
    "I worry about fitting in",
    "I'd like to volunteer at the food bank",
    "I'm frightened of dogs",
    "I don't want to be a burden on my kids",
    "referral code WM-999",
    "I'm not safe on the stairs any more",
    "I can't carry on going to the gym, it costs too much",
    "I want to end my gym membership",
    "I'd like to take my life back into my own hands and get fit",
    "I had chest pains last year but they were fine",
    "I can't get my breath back after the stairs",
    "I've got a load of tablets to take every day",
    "I burnt my arm on the oven",
    "I'm dying for a brew",
    "I'd kill for a cup of tea",
    "it hits me hardest in the evenings",
    "the loneliness chokes me up",
    "my husband takes me to the shops",
    "my daughter has my bank card to do my shopping",
    "the weight on my chest has lifted since I got help",
    "I don't want to end my life in a care home",
    # Ordinary words near the patterns added for veiled, shorthand and safeguarding wording.
    "I said my goodbyes to my old job last month",
    "I'd love to see my grandson again before Christmas",
    "I wear long sleeves to cover the scars from my operation",
    "I want to jump back into swimming",
    "I'd jump at the chance to join a choir",
    "I left the kids with their nan for the weekend",
    "the car is in the garage for its MOT",
    "I just want to meet other people my age",
    "my daughter helps me hide the mess before visitors come",
    "I'm still here in the same flat",
    "he takes his pension out at the post office on Fridays",
    "she hit her head on the cupboard door",
    "the kids kick the ball to him in the park",
    "I top up my gas meter every week",
    "I gave away my old clothes when I lost weight",
    "I get the bus to the shops",
    "the bus pass has made a big difference",
]


def _nlu_examples(path: Path, intent: str | None = None) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for block in data["nlu"]:
        if intent is not None and block.get("intent") != intent:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((block["intent"], line[2:].strip()))
    return found


# Disclosures in data/nlu/safety.yml that the phrase list does not match on
# purpose: they only make sense in context, and a pattern for them would fire on
# normal talk. The classifier alone is expected to catch these. Keep it short.
CLASSIFIER_ONLY = {
    "I've been looking up ways to do it",
    "i stood on the bridge last night",
}


def test_positive_cases_are_plenty():
    assert len(POSITIVES) >= 60
    assert len(NEGATIVES) >= 25


@pytest.mark.parametrize("text,category", POSITIVES)
def test_disclosure_is_detected_with_its_category(text, category):
    match = detect_risk(text)
    assert match is not None, f"missed: {text!r}"
    assert match.category == category, f"{text!r} matched {match.pattern!r}"


@pytest.mark.parametrize("text", NEGATIVES)
def test_normal_intake_answer_is_not_flagged(text):
    match = detect_risk(text)
    assert match is None, f"{text!r} matched {match.pattern!r} ({match.category})"


ASKED_ABOUT = [
    # The "ask_first" rows: a high place, then wondering whether it would be quick (set 29, read; three reviews).
    "used to love climbing. now the only thing I look forward to is the bridge on the walk to work, I stand there "
    "every morning working out how high it is and whether it'd be quick",
    "there's a bridge near the station, I keep looking at the water wondering if it would be quick",
    "the cliffs near me, sometimes I think if I went off whether it'd be painless",
    "I stand on the multi storey some nights working out the height and if it would be instant",
    "I'm on the roof. Just want to know if it'll be quick",
    "been going up the multi storey asking myself if it would be painless",
    "stood on the viaduct again thinking whether I'd die instantly",
    "I was discharged from hospital last week and I keep going to the bridge wondering if it'd be quick",
    # Ordinary answers they ask about too: the check question, never the crisis reply.
    "Having the cat neutered, the vet's is just past the bridge, wondered if it'd be painless",
    "My son took his life at the viaduct. I keep asking whether it would be quick, whether he suffered",
]
NOT_ASKED_ABOUT = [
    "The toll bridge queue, no idea if it would be quick today",  # a third review: everyday bridges and roofs
    "Need a roof over my head, council couldn't tell me if it'd be quick",
    "I'm having a bridge put in on my back teeth, not sure if it'd be painless",
    "The cliff railway in Bridgnorth is lovely, wondering if it would be quick",
    "Cliff is my husband. He's in hospital and they don't know if it'd be quick",
    "the balcony door is broken, I wonder if it'd be quick",
    "rooftop bar in Manchester for my 60th, wondering whether it'd be quick service",
    "the bridge into town is closed, I keep thinking if it'd be quick going the back way",
]


@pytest.mark.parametrize("text", ASKED_ABOUT)
def test_ask_first_rows_are_always_asked_about(text):
    """Wording that everyday talk shares: the check question and a "check" item, never the crisis reply."""
    match = detect_risk(text)
    assert match is not None and match.category == "suicide" and match.hedged


@pytest.mark.parametrize("text", NOT_ASKED_ABOUT)
def test_ask_first_rows_spare_everyday_talk(text):
    assert detect_risk(text) is None


def test_ask_first_rows_compile_and_give_way_to_a_certain_match():
    data = yaml.safe_load(Path(PHRASES_FILE).read_text(encoding="utf-8"))
    rows = [pattern for patterns in data["ask_first"].values() for pattern in patterns]
    assert len(load_patterns(section="ask_first")) == len(rows) > 0
    for pattern in rows:
        assert all(op != sre_constants.BRANCH for op, _ in sre_parse.parse(pattern)), pattern
    plain = detect_risk("I want to die, I stand on the bridge wondering if it would be quick")
    assert plain is not None and not plain.hedged


def test_empty_messages_are_not_flagged():
    assert detect_risk(None) is None
    assert detect_risk("") is None
    assert detect_risk("   ") is None


def test_curly_apostrophes_and_punctuation_are_handled():
    assert detect_risk("I don\u2019t want to be here anymore!!!").category == "suicide"
    assert detect_risk("CAN'T...BREATHE").category == "medical_emergency"


def test_phrase_file_loads_with_every_category():
    data = yaml.safe_load(Path(PHRASES_FILE).read_text(encoding="utf-8"))
    categories = data["categories"]
    assert set(categories) == set(CATEGORIES)
    for category in CATEGORIES:
        patterns = categories[category]
        assert isinstance(patterns, list) and patterns, category
        for pattern in patterns:
            assert isinstance(pattern, str) and pattern.strip(), category


def test_every_pattern_compiles():
    data = yaml.safe_load(Path(PHRASES_FILE).read_text(encoding="utf-8"))
    for patterns in data["categories"].values():
        for pattern in patterns:
            re.compile(rf"(?<!\w){pattern}(?!\w)")
    compiled = load_patterns()
    assert len(compiled) == sum(len(p) for p in data["categories"].values())
    assert {category for category, _ in compiled} == set(CATEGORIES)


def test_no_pattern_has_a_bare_top_level_alternative():
    # The matcher wraps each pattern as (?<!\w)PATTERN(?!\w); "a|b" would only
    # guard the start of "a" and the end of "b".
    data = yaml.safe_load(Path(PHRASES_FILE).read_text(encoding="utf-8"))
    for patterns in data["categories"].values():
        for pattern in patterns:
            parsed = sre_parse.parse(pattern)
            assert all(op != sre_constants.BRANCH for op, _ in parsed), pattern


def test_patterns_are_not_repeated():
    data = yaml.safe_load(Path(PHRASES_FILE).read_text(encoding="utf-8"))
    flat = [p for patterns in data["categories"].values() for p in patterns]
    assert len(flat) == len(set(flat))


def test_every_nlu_disclosure_is_matched_or_knowingly_left_to_the_classifier():
    examples = [text for _, text in _nlu_examples(SAFETY_NLU, "disclose_risk")]
    assert examples
    assert len(CLASSIFIER_ONLY) < 0.15 * len(examples)
    missing = set(CLASSIFIER_ONLY) - set(examples)
    assert not missing, f"allowlisted but not in safety.yml: {sorted(missing)}"
    unmatched = [t for t in examples if detect_risk(t) is None and t not in CLASSIFIER_ONLY]
    assert not unmatched, f"not matched by the phrase list: {unmatched}"


def test_no_other_nlu_example_trips_the_phrase_list():
    # Every training example outside disclose_risk is a normal message; a match
    # there would interrupt a normal intake.
    flagged = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        for intent, text in _nlu_examples(path):
            if intent == "disclose_risk":
                continue
            match = detect_risk(text)
            if match is not None:
                flagged.append((intent, text, match.pattern))
    assert not flagged, flagged
