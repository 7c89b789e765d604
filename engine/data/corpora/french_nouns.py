"""French nouns for every English noun lemma the grammar uses: word, gender, plural, the feminine
of a person's noun ("étudiant" / "étudiante") and what kind of name it is (country, city, ...).

    noun(lemma) -> FrNoun        KeyError names a lemma with no French

The table is plain text, one lemma a line: `lemma | french | gender [| plural [| feminine]]`.
Gender `m`/`f`, or `mp`/`fp` for a noun that is plural in itself ("books" -> "livres").
An empty plural column means the regular plural (`plural_of`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from engine.data.corpora.lexicon import (
    COUNTRIES,
    DAYS,
    FEMALE_NAMES,
    MALE_NAMES,
    MONTHS,
)


@dataclass(frozen=True)
class FrNoun:
    word: str                 # singular ("cheval"), or the plural for an inherently plural noun
    gender: str               # "m" | "f"
    plural: str               # "chevaux"
    feminine: str = ""        # a person's noun for a woman ("étudiante"); "" when the same
    inherent_plural: bool = False
    kind: str = "common"      # common | name | country | city | continent | month | day | season | language


_COMMON = """
actor|acteur|m
actress|actrice|f
advice|conseils|mp
airport|aéroport|m
animal|animal|m|animaux
apple|pomme|f
army|armée|f
attic|grenier|m
aunt|tante|f
bag|sac|m
baker|boulanger|m||boulangère
bakery|boulangerie|f
balcony|balcon|m
ball|balle|f
ballroom|salle de bal|f|salles de bal
banana|banane|f
bank|banque|f
banker|banquier|m||banquière
barn|grange|f
basket|panier|m
bean|haricot|m
bear|ours|m
bed|lit|m
bicycle|vélo|m
bird|oiseau|m
birthday|anniversaire|m
blood|sang|m
boat|bateau|m
bone|os|m
book|livre|m
books|livres|mp
box|boîte|f
boy|garçon|m
bread|pain|m
breakfast|petit-déjeuner|m|petits-déjeuners
bridge|pont|m
brother|frère|m
burrow|terrier|m
bus|bus|m
butterfly|papillon|m
cabbage|chou|m|choux
cake|gâteau|m
candle|bougie|f
canvas|toile|f
capital|capitale|f
car|voiture|f
cars|voitures|fp
carrot|carotte|f
castle|château|m
cat|chat|m
cave|grotte|f
chair|chaise|f
chateau|château|m
cheese|fromage|m
chef|chef|m
cherry|cerise|f
child|enfant|m
children|enfants|mp
church|église|f
citadel|citadelle|f
city|ville|f
class|classe|f
classmates|camarades|mp
cliff|falaise|f
clock|horloge|f
cloud|nuage|m
clouds|nuages|mp
coat|manteau|m
coffee|café|m
coin|pièce|f
colour|couleur|f
corn|maïs|m
coronet|couronne ducale|f|couronnes ducales
cottage|chaumière|f
country|pays|m
course|cours|m
court|tribunal|m|tribunaux
cousins|cousins|mp
cow|vache|f
crops|récoltes|fp
crown|couronne|f
crumb|miette|f
daughter|fille|f
day|jour|m
deer|cerf|m
diadem|diadème|m
diary|journal intime|m|journaux intimes
dinner|dîner|m
disco|discothèque|f
doctor|médecin|m
dog|chien|m
door|porte|f
dream|rêve|m
dress|robe|f
drink|boisson|f
duchess|duchesse|f
duchy|duché|m
duck|canard|m
duke|duc|m
egg|œuf|m
elephant|éléphant|m
emperor|empereur|m
empire|empire|m
empress|impératrice|f
engineer|ingénieur|m||ingénieure
exams|examens|mp
experiments|expériences|fp
factory|usine|f
farm|ferme|f
farmer|agriculteur|m||agricultrice
farmhouse|ferme|f
father|père|m
fence|clôture|f
festival|festival|m|festivals
film|film|m
fire|feu|m
flag|drapeau|m
flower|fleur|f
flowers|fleurs|fp
flu|grippe|f
food|cuisine|f
football|football|m
forest|forêt|f
friend|ami|m||amie
frog|grenouille|f
fruit|fruit|m
game|jeu|m
garden|jardin|m
gardener|jardinier|m||jardinière
gift|cadeau|m
girl|fille|f
gloves|gants|mp
goat|chèvre|f
godparents|parrains|mp
goods|marchandises|fp
government|gouvernement|m
grandchildren|petits-enfants|mp
grandfather|grand-père|m|grands-pères
grandmother|grand-mère|f|grands-mères
grape|raisin|m
grass|herbe|f
groceries|courses|fp
guest|invité|m||invitée
guitar|guitare|f
hallway|couloir|m
hammock|hamac|m
hat|chapeau|m
hay|foin|m
hill|colline|f
hillside|coteau|m
hole|trou|m
homework|devoirs|mp
honey|miel|m
horse|cheval|m|chevaux
hospital|hôpital|m|hôpitaux
host|hôte|m
hostess|hôtesse|f
house|maison|f
houses|maisons|fp
household|foyer|m
husband|mari|m
hymn|hymne|m
idea|idée|f
insect|insecte|m
job|travail|m|travaux
judge|juge|m
juice|jus|m
jungle|jungle|f
kennel|niche|f
key|clé|f
king|roi|m
kingdom|royaume|m
kitchen|cuisine|f
kite|cerf-volant|m|cerfs-volants
laboratory|laboratoire|m
ladder|échelle|f
lake|lac|m
lamp|lampe|f
landlord|propriétaire|m
landscape|paysage|m
language|langue|f
laws|lois|fp
lemon|citron|m
lesson|leçon|f
letter|lettre|f
lettuce|laitue|f
librarian|bibliothécaire|m
library|bibliothèque|f
lion|lion|m
lorry|camion|m
lunch|déjeuner|m
machines|machines|fp
man|homme|m
mango|mangue|f
manor|manoir|m
map|carte|f
marathon|marathon|m
market|marché|m
marriage|mariage|m
marsh|marais|m
maths|mathématiques|fp
meadow|pré|m
meal|repas|m
melody|mélodie|f
melon|melon|m
memories|souvenirs|mp
merchant|marchand|m||marchande
milk|lait|m
monastery|monastère|m
money|argent|m
monk|moine|m
monkey|singe|m
month|mois|m
moon|lune|f
mother|mère|f
mountain|montagne|f
mountains|montagnes|fp
mouse|souris|f
museum|musée|m
neighbour|voisin|m||voisine
nephew|neveu|m|neveux
nest|nid|m
newspaper|journal|m|journaux
niece|nièce|f
night|nuit|f
novel|roman|m
number|nombre|m
nun|religieuse|f
onion|oignon|m
ovens|fours|mp
owl|hibou|m|hiboux
palace|palais|m
pans|casseroles|fp
parcel|colis|m
parents|parents|mp
park|parc|m
party|fête|f
pasta|pâtes|fp
patients|patients|mp
pea|petit pois|m|petits pois
peach|pêche|f
peanut|cacahuète|f
pear|poire|f
pencil|crayon|m
person|personne|f|gens
photo|photo|f
piano|piano|m
picture|tableau|m
pie|tarte|f
pig|cochon|m
pilot|pilote|m
place|endroit|m
plain|plaine|f
planes|avions|mp
plum|prune|f
poem|poème|m
policeman|policier|m
policewoman|policière|f
pond|mare|f
pool|piscine|f
portrait|portrait|m
potato|pomme de terre|f|pommes de terre
prayer|prière|f
prayers|prières|fp
present|cadeau|m
priest|prêtre|m
prince|prince|m
princess|princesse|f
principality|principauté|f
promenade|promenade|f
puddle|flaque|f
pupils|élèves|mp
puppy|chiot|m
queen|reine|f
queue|file d'attente|f|files d'attente
rabbit|lapin|m
rainbow|arc-en-ciel|m|arcs-en-ciel
restaurant|restaurant|m
rice|riz|m
rifles|fusils|mp
ring|bague|f
river|rivière|f
road|route|f
room|chambre|f
rope|corde|f
ropes|cordes|fp
sailor|marin|m
salad|salade|f
sandwich|sandwich|m
savanna|savane|f
scarf|écharpe|f
school|école|f
scientist|scientifique|m
sea|mer|f
seed|graine|f
sentence|phrase|f
shed|cabane|f
shell|coquille|f
ship|navire|m
shirt|chemise|f
shoes|chaussures|fp
siblings|frères et sœurs|mp
sister|sœur|f
sky|ciel|m
snail|escargot|m
snow|neige|f
sofa|canapé|m
soil|terre|f
soldier|soldat|m||soldate
son|fils|m
song|chanson|f
soup|soupe|f
souvenirs|souvenirs|mp
speech|discours|m
spell|sort|m
stable|écurie|f
stadium|stade|m
star|étoile|f
station|commissariat|m
stone|pierre|f
storm|tempête|f
story|histoire|f
street|rue|f
student|étudiant|m||étudiante
sty|porcherie|f
suitcase|valise|f
sun|soleil|m
table|table|f
taxi|taxi|m
tea|thé|m
teacher|professeur|m||professeure
tent|tente|f
theatre|théâtre|m
thief|voleur|m||voleuse
thistle|chardon|m
ticket|billet|m
tickets|billets|mp
tiara|tiare|f
tomato|tomate|f
tortoise|tortue|f
tourist|touriste|m
tower|tour|f
town|ville|f
toys|jouets|mp
track|piste|f
tractor|tracteur|m
train|train|m
trampoline|trampoline|m
treasure|trésor|m
tree|arbre|m
truck|camion|m
truth|vérité|f
tuna|thon|m
tune|air|m
twin|jumeau|m||jumelle
uncle|oncle|m
university|université|f
van|camionnette|f
vegetable|légume|m
village|village|m
visitor|visiteur|m||visiteuse
vole|campagnol|m
waiter|serveur|m
waitress|serveuse|f
wallet|portefeuille|m
warehouse|entrepôt|m
water|eau|f|eaux
wedding|noces|fp
week|semaine|f
wife|femme|f
wind|vent|m
window|fenêtre|f
wine|vin|m
witch|sorcière|f
wizard|sorcier|m
wolf|loup|m
woman|femme|f
words|mots|mp
world|monde|m
zebra|zèbre|m
"""

# Places, with their article: "la france", "le portugal", "cuba" (none), "le caire".
_COUNTRIES = {"france": "la france", "italy": "l'italie", "germany": "l'allemagne", "spain": "l'espagne",
              "portugal": "le portugal", "greece": "la grèce", "poland": "la pologne", "sweden": "la suède",
              "norway": "la norvège", "finland": "la finlande", "ireland": "l'irlande", "austria": "l'autriche",
              "hungary": "la hongrie", "denmark": "le danemark", "england": "l'angleterre", "russia": "la russie",
              "egypt": "l'égypte", "kenya": "le kenya", "japan": "le japon", "china": "la chine", "india": "l'inde",
              "thailand": "la thaïlande", "vietnam": "le viêt nam", "canada": "le canada", "cuba": "cuba",
              "peru": "le pérou", "chile": "le chili", "brazil": "le brésil", "australia": "l'australie"}
_COUNTRY_GENDER = {"france": "f", "italy": "f", "germany": "f", "spain": "f", "greece": "f", "poland": "f",
                   "sweden": "f", "norway": "f", "finland": "f", "ireland": "f", "austria": "f", "hungary": "f",
                   "england": "f", "russia": "f", "egypt": "f", "china": "f", "india": "f", "thailand": "f",
                   "australia": "f", "cuba": "f"}
_CITIES = {"lisbon": "lisbonne", "athens": "athènes", "warsaw": "varsovie", "vienna": "vienne",
           "copenhagen": "copenhague", "london": "londres", "moscow": "moscou", "cairo": "le caire",
           "beijing": "pékin", "hanoi": "hanoï", "havana": "la havane"}
_CONTINENTS = {"europe": "europe", "africa": "afrique", "asia": "asie", "america": "amérique", "oceania": "océanie"}
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_SEASONS = {"winter": "hiver", "spring": "printemps", "summer": "été", "autumn": "automne"}
LANGUAGES = {"french": "français", "italian": "italien", "german": "allemand", "spanish": "espagnol",
             "portuguese": "portugais", "greek": "grec", "polish": "polonais", "swedish": "suédois",
             "norwegian": "norvégien", "finnish": "finnois", "english": "anglais", "hungarian": "hongrois",
             "danish": "danois", "russian": "russe", "arabic": "arabe", "swahili": "swahili", "japanese": "japonais",
             "chinese": "chinois", "hindi": "hindi", "thai": "thaï", "vietnamese": "vietnamien"}


def plural_of(word: str) -> str:
    """Regular French plural: -s, none after s/x/z, -x after -eau/-au/-eu, -aux for -al."""
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("eau", "au", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def _parse(table: str) -> dict[str, FrNoun]:
    out: dict[str, FrNoun] = {}
    for line in table.strip().splitlines():
        lemma, word, gender, *rest = line.split("|")
        plural = rest[0] if rest and rest[0] else plural_of(word)
        feminine = rest[1] if len(rest) > 1 else ""
        out[lemma] = FrNoun(word, gender[0], word if gender.endswith("p") else plural, feminine, gender.endswith("p"))
    return out


def _article_name(phrase: str) -> tuple[str, str]:
    """("la france" -> ("france", "la")); a bare name -> (name, "")."""
    for art in ("le ", "la ", "l'"):
        if phrase.startswith(art):
            return phrase[len(art):], art.strip()
    return phrase, ""


@lru_cache(maxsize=1)
def nouns() -> dict[str, FrNoun]:
    """English lemma -> French noun, for every noun of the grammar (names keep their spelling)."""
    table = _parse(_COMMON)
    for country, *_ in COUNTRIES:
        word = _COUNTRIES[country]
        table[country] = FrNoun(word, _COUNTRY_GENDER.get(country, "m"), word, kind="country")
    for _, capital, *_ in COUNTRIES:
        word = _CITIES.get(capital, capital)
        table[capital] = FrNoun(word, "f" if word.startswith("la ") else "m", word, kind="city")
    for en, fr in _CONTINENTS.items():
        table[en] = FrNoun(fr, "f", fr, kind="continent")
    for en, fr in zip(MONTHS, _MONTHS):
        table[en] = FrNoun(fr, "m", fr, kind="month")
    for en, fr in zip(DAYS, _DAYS):
        table[en] = FrNoun(fr, "m", fr, kind="day")
    for en, fr in _SEASONS.items():
        table[en] = FrNoun(fr, "m", fr, kind="season")
    for name in MALE_NAMES + FEMALE_NAMES:
        table[name] = FrNoun(name, "m" if name in MALE_NAMES else "f", name, kind="name")
    return table


def noun(lemma: str) -> FrNoun:
    return nouns()[lemma]


def article_and_name(n: FrNoun) -> tuple[str, str]:
    """A country's or city's (name, article): ("france", "la"), ("portugal", "le"), ("cuba", "")."""
    return _article_name(n.word)
