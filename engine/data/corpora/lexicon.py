"""The words of the built-in grammar, grouped so that word2vec has something to learn:
gendered pairs, countries with capitals and nationalities, animals, foods, colours, numbers,
professions with their workplaces, verbs with their tenses, adjectives with comparatives.

Everything here is plain data (lowercase English); `grammar_analogies.txt` is derived from it.
"""
from __future__ import annotations

# (male, female) pairs by role; each role has its own contexts in the templates.
ROYALS = (("king", "queen"), ("prince", "princess"), ("emperor", "empress"), ("duke", "duchess"))
FAMILY = (("father", "mother"), ("son", "daughter"), ("brother", "sister"), ("uncle", "aunt"),
          ("husband", "wife"), ("grandfather", "grandmother"), ("nephew", "niece"))
PEOPLE = (("man", "woman"), ("boy", "girl"))
GENDERED_JOBS = (("actor", "actress"), ("waiter", "waitress"), ("policeman", "policewoman"),
                 ("monk", "nun"), ("wizard", "witch"), ("host", "hostess"))
# Words that go with one (male, female) pair only, shared by both, so each pair has an identity
# of its own besides its role and its gender.
PAIR_CONTEXT = {
    "king": ("kingdom", "crown", "palace"), "prince": ("principality", "tiara", "chateau"),
    "emperor": ("empire", "diadem", "citadel"), "duke": ("duchy", "coronet", "manor"),
    "father": ("children", "household"), "son": ("parents", "toys"),
    "brother": ("siblings", "twin"), "uncle": ("cousins", "farmhouse"), "husband": ("marriage", "wedding"),
    "grandfather": ("grandchildren", "memories"), "nephew": ("godparents", "birthday"),
    "man": ("job", "newspaper"), "boy": ("classmates", "homework"),
}
MALE_NAMES = ("john", "peter", "james", "david", "paul", "tom", "mark", "george")
FEMALE_NAMES = ("mary", "anna", "emma", "sarah", "lucy", "kate", "helen", "julia")

IRREGULAR_PLURALS = {"man": "men", "woman": "women", "policeman": "policemen", "policewoman": "policewomen",
                     "wife": "wives", "mouse": "mice", "wolf": "wolves", "child": "children", "knife": "knives",
                     "fish": "fish", "sheep": "sheep", "foot": "feet", "tooth": "teeth", "person": "people",
                     "fox": "foxes", "witch": "witches", "actress": "actresses", "waitress": "waitresses",
                     "princess": "princesses", "empress": "empresses", "duchess": "duchesses",
                     "hostess": "hostesses", "peach": "peaches", "potato": "potatoes", "tomato": "tomatoes",
                     "cherry": "cherries", "city": "cities", "country": "countries", "library": "libraries",
                     "bakery": "bakeries", "factory": "factories", "laboratory": "laboratories",
                     "university": "universities", "party": "parties", "dress": "dresses", "box": "boxes",
                     "bus": "buses", "church": "churches", "glass": "glasses", "lady": "ladies",
                     "family": "families", "story": "stories", "baby": "babies"}

# (country, capital, nationality adjective, language, continent)
COUNTRIES = (
    ("france", "paris", "french", "french", "europe"),
    ("italy", "rome", "italian", "italian", "europe"),
    ("germany", "berlin", "german", "german", "europe"),
    ("spain", "madrid", "spanish", "spanish", "europe"),
    ("portugal", "lisbon", "portuguese", "portuguese", "europe"),
    ("greece", "athens", "greek", "greek", "europe"),
    ("poland", "warsaw", "polish", "polish", "europe"),
    ("sweden", "stockholm", "swedish", "swedish", "europe"),
    ("norway", "oslo", "norwegian", "norwegian", "europe"),
    ("finland", "helsinki", "finnish", "finnish", "europe"),
    ("ireland", "dublin", "irish", "english", "europe"),
    ("austria", "vienna", "austrian", "german", "europe"),
    ("hungary", "budapest", "hungarian", "hungarian", "europe"),
    ("denmark", "copenhagen", "danish", "danish", "europe"),
    ("england", "london", "english", "english", "europe"),
    ("russia", "moscow", "russian", "russian", "europe"),
    ("egypt", "cairo", "egyptian", "arabic", "africa"),
    ("kenya", "nairobi", "kenyan", "swahili", "africa"),
    ("japan", "tokyo", "japanese", "japanese", "asia"),
    ("china", "beijing", "chinese", "chinese", "asia"),
    ("india", "delhi", "indian", "hindi", "asia"),
    ("thailand", "bangkok", "thai", "thai", "asia"),
    ("vietnam", "hanoi", "vietnamese", "vietnamese", "asia"),
    ("canada", "ottawa", "canadian", "english", "america"),
    ("cuba", "havana", "cuban", "spanish", "america"),
    ("peru", "lima", "peruvian", "spanish", "america"),
    ("chile", "santiago", "chilean", "spanish", "america"),
    ("brazil", "brasilia", "brazilian", "portuguese", "america"),
    ("australia", "canberra", "australian", "english", "oceania"),
)

# (singular, sound verb, food, home, size rank 1..9, speed rank 1..9)
ANIMALS = (  # each animal has its own sound, food and home
    ("dog", "bark", "bone", "kennel", 4, 6), ("cat", "meow", "tuna", "basket", 3, 5),
    ("cow", "moo", "grass", "meadow", 7, 2), ("horse", "neigh", "hay", "stable", 7, 8),
    ("bird", "sing", "seed", "nest", 1, 7), ("duck", "quack", "crumb", "pond", 2, 3),
    ("lion", "roar", "zebra", "savanna", 6, 8), ("mouse", "squeak", "cheese", "hole", 1, 4),
    ("wolf", "howl", "deer", "forest", 5, 7), ("pig", "grunt", "corn", "sty", 5, 3),
    ("frog", "croak", "insect", "marsh", 1, 3), ("owl", "hoot", "vole", "barn", 2, 6),
    ("elephant", "trumpet", "peanut", "plain", 9, 4), ("monkey", "chatter", "banana", "jungle", 3, 6),
    ("rabbit", "hop", "carrot", "burrow", 2, 7), ("bear", "growl", "honey", "cave", 8, 5),
    ("goat", "bleat", "thistle", "hillside", 4, 4), ("snail", "crawl", "lettuce", "shell", 1, 1),
)

FRUITS = ("apple", "pear", "banana", "grape", "cherry", "lemon", "peach", "plum", "mango", "melon")
VEGETABLES = ("carrot", "potato", "tomato", "onion", "cabbage", "pea", "bean", "lettuce")
DISHES = ("bread", "cheese", "rice", "soup", "cake", "pasta", "egg", "pie", "salad", "sandwich")
DRINKS = ("water", "milk", "tea", "coffee", "juice", "wine")
TASTES = ("sweet", "sour", "fresh", "delicious", "salty", "ripe")

COLOURS = ("red", "blue", "green", "yellow", "white", "black", "brown", "pink", "purple", "grey")
THINGS = ("car", "house", "door", "shirt", "dress", "hat", "ball", "bag", "chair", "box", "bicycle", "kite")
NATURE_COLOURS = (("sky", "blue"), ("grass", "green"), ("snow", "white"), ("night", "black"),
                  ("sun", "yellow"), ("blood", "red"), ("cloud", "grey"), ("soil", "brown"))

NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
SEASON_OF_MONTH = ("winter", "winter", "spring", "spring", "spring", "summer", "summer", "summer",
                   "autumn", "autumn", "autumn", "winter")
WEATHER = {"winter": ("freezing", "snowy", "dark"), "spring": ("mild", "rainy", "fresh"),
           "summer": ("hot", "sunny", "bright"), "autumn": ("windy", "wet", "cool")}

# (profession, workplace, what they work with)
PROFESSIONS = (
    ("doctor", "hospital", "patients"), ("teacher", "school", "pupils"), ("farmer", "farm", "crops"),
    ("chef", "kitchen", "pans"), ("pilot", "airport", "planes"), ("baker", "bakery", "ovens"),
    ("judge", "court", "laws"), ("student", "university", "exams"), ("soldier", "army", "rifles"),
    ("sailor", "ship", "ropes"), ("librarian", "library", "books"), ("scientist", "laboratory", "experiments"),
    ("engineer", "factory", "machines"), ("priest", "church", "prayers"), ("banker", "bank", "money"),
    ("gardener", "garden", "flowers"),
)

# (base, third person singular, past, -ing, typical objects or "" for intransitive, places)
VERBS = (  # objects and places are each verb's own, so every verb has an identity besides its tense
    ("walk", "walks", "walked", "walking", (), ("park", "market", "promenade")),
    ("run", "runs", "ran", "running", (), ("stadium", "track", "marathon")),
    ("swim", "swims", "swam", "swimming", (), ("lake", "pool", "sea")),
    ("fly", "flies", "flew", "flying", (), ("clouds", "sky", "mountains")),
    ("dance", "dances", "danced", "dancing", (), ("ballroom", "disco", "festival")),
    ("jump", "jumps", "jumped", "jumping", (), ("trampoline", "puddle", "fence")),
    ("sleep", "sleeps", "slept", "sleeping", (), ("bed", "tent", "hammock")),
    ("climb", "climbs", "climbed", "climbing", ("hill", "ladder", "mountain", "cliff"), ()),
    ("sing", "sings", "sang", "singing", ("song", "hymn", "tune", "melody"), ()),
    ("write", "writes", "wrote", "writing", ("letter", "poem", "novel", "diary"), ()),
    ("drive", "drives", "drove", "driving", ("truck", "tractor", "van", "lorry"), ()),
    ("speak", "speaks", "spoke", "speaking", ("truth", "words", "sentence", "language"), ()),
    ("eat", "eats", "ate", "eating", ("bread", "cheese", "rice", "cake"), ()),
    ("drink", "drinks", "drank", "drinking", DRINKS, ()),
    ("see", "sees", "saw", "seeing", ("star", "film", "rainbow", "moon"), ()),
    ("play", "plays", "played", "playing", ("game", "piano", "guitar", "football"), ()),
    ("cook", "cooks", "cooked", "cooking", ("dinner", "soup", "lunch", "breakfast"), ()),
    ("paint", "paints", "painted", "painting", ("picture", "portrait", "landscape", "canvas"), ()),
    ("build", "builds", "built", "building", ("bridge", "tower", "boat", "shed"), ()),
    ("buy", "buys", "bought", "buying", ("shoes", "groceries", "souvenirs", "newspaper"), ()),
    ("sell", "sells", "sold", "selling", ("tickets", "cars", "houses", "goods"), ()),
    ("find", "finds", "found", "finding", ("key", "coin", "treasure", "wallet"), ()),
    ("give", "gives", "gave", "giving", ("gift", "present", "advice", "speech"), ()),
    ("teach", "teaches", "taught", "teaching", ("lesson", "class", "course", "maths"), ()),
    ("take", "takes", "took", "taking", ("train", "bus", "photo", "taxi"), ()),
    ("open", "opens", "opened", "opening", ("door", "window", "box", "parcel"), ()),
    ("wear", "wears", "wore", "wearing", ("hat", "coat", "scarf", "gloves"), ()),
    ("catch", "catches", "caught", "catching", ("ball", "flu", "butterfly", "thief"), ()),
)

# (positive, comparative, superlative)
ADJECTIVES = (
    ("big", "bigger", "biggest"), ("small", "smaller", "smallest"), ("tall", "taller", "tallest"),
    ("short", "shorter", "shortest"), ("fast", "faster", "fastest"), ("slow", "slower", "slowest"),
    ("old", "older", "oldest"), ("young", "younger", "youngest"), ("strong", "stronger", "strongest"),
    ("long", "longer", "longest"), ("warm", "warmer", "warmest"), ("cold", "colder", "coldest"),
    ("good", "better", "best"), ("bad", "worse", "worst"), ("heavy", "heavier", "heaviest"),
    ("happy", "happier", "happiest"), ("rich", "richer", "richest"), ("quiet", "quieter", "quietest"),
)
# Nouns each adjective family describes (shared by its three degrees).
ADJECTIVE_NOUNS = {
    "big": ("house", "warehouse"), "small": ("room", "village"), "tall": ("tower", "tree"), "short": ("film", "story"),
    "fast": ("train", "car"), "slow": ("tortoise", "queue"), "old": ("castle", "bridge"), "young": ("child", "puppy"),
    "strong": ("wind", "rope"), "long": ("road", "river"), "warm": ("coat", "fire"), "cold": ("water", "winter"),
    "good": ("idea", "meal"), "bad": ("storm", "dream"), "heavy": ("stone", "suitcase"), "happy": ("day", "song"),
    "rich": ("merchant", "landlord"), "quiet": ("street", "cottage"),
}
MOODS = ("cheerful", "tired", "angry", "sad", "hungry", "busy", "calm", "proud")

# Things people own: none of them is a word of an analogy (a workplace, an animal), which would
# give that word contexts its partners lack.
HOME_THINGS = ("house", "sofa", "car", "balcony", "lamp", "clock", "bicycle", "room")

PRONOUNS = {  # lemma -> (subject, object, possessive, plural)
    "he": ("he", "him", "his", False), "she": ("she", "her", "her", False),
    "they": ("they", "them", "their", True), "it": ("it", "it", "its", False),
    "i": ("i", "me", "my", False), "we": ("we", "us", "our", True), "you": ("you", "you", "your", False),
}


def plural(noun: str) -> str:
    """English plural of a lemma (irregular table, then -es after s/x/ch/sh, -ies after consonant+y)."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def verb_forms() -> dict[str, tuple[str, str, str, str]]:
    """lemma -> (base, third person singular, past, -ing), including the auxiliaries."""
    forms = {v[0]: v[:4] for v in VERBS}
    for _, sound, *_ in ANIMALS:
        forms.setdefault(sound, _regular(sound))
    forms.update({"be": ("be", "is", "was", "being"), "have": ("have", "has", "had", "having"),
                  "say": ("say", "says", "said", "saying"), "live": ("live", "lives", "lived", "living"),
                  "work": ("work", "works", "worked", "working"), "rule": ("rule", "rules", "ruled", "ruling"),
                  "visit": ("visit", "visits", "visited", "visiting"), "love": ("love", "loves", "loved", "loving"),
                  "feed": ("feed", "feeds", "fed", "feeding"), "travel": ("travel", "travels", "travelled", "travelling"),
                  "speak": ("speak", "speaks", "spoke", "speaking"), "meet": ("meet", "meets", "met", "meeting"),
                  "help": ("help", "helps", "helped", "helping"), "count": ("count", "counts", "counted", "counting"),
                  "need": ("need", "needs", "needed", "needing"), "think": ("think", "thinks", "thought", "thinking"),
                  "call": ("call", "calls", "called", "calling"), "smile": ("smile", "smiles", "smiled", "smiling"),
                  "go": ("go", "goes", "went", "going"), "hop": ("hop", "hops", "hopped", "hopping"),
                  "close": ("close", "closes", "closed", "closing")})
    return forms


def _regular(verb: str) -> tuple[str, str, str, str]:
    third = verb + "es" if verb.endswith(("s", "x", "ch", "sh")) else verb + "s"
    past = verb + "d" if verb.endswith("e") else verb + "ed"
    ing = verb[:-1] + "ing" if verb.endswith("e") and verb != "be" else verb + "ing"
    return verb, third, past, ing


GENDER_PAIRS = ROYALS + FAMILY + PEOPLE + GENDERED_JOBS
MALE = {m for m, _ in GENDER_PAIRS} | set(MALE_NAMES)
FEMALE = {f for _, f in GENDER_PAIRS} | set(FEMALE_NAMES)
