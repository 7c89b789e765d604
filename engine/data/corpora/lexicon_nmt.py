"""English words the translation templates (`templates_nmt.py`) add to the grammar's lexicon.

Kept apart from `lexicon.py` so the word2vec corpora, their analogies and word groups stay as they
were: only the English–French corpus uses these verbs.
"""
from __future__ import annotations

from engine.data.corpora.lexicon import FEMALE, MALE, PROFESSIONS

# lemma -> (base, third person singular, past, -ing)
EXTRA_VERBS = {
    "read": ("read", "reads", "read", "reading"), "make": ("make", "makes", "made", "making"),
    "know": ("know", "knows", "knew", "knowing"), "want": ("want", "wants", "wanted", "wanting"),
    "wait": ("wait", "waits", "waited", "waiting"), "hear": ("hear", "hears", "heard", "hearing"),
    "lose": ("lose", "loses", "lost", "losing"), "answer": ("answer", "answers", "answered", "answering"),
    "finish": ("finish", "finishes", "finished", "finishing"), "choose": ("choose", "chooses", "chose", "choosing"),
    "look": ("look", "looks", "looked", "looking"), "listen": ("listen", "listens", "listened", "listening"),
    "arrive": ("arrive", "arrives", "arrived", "arriving"), "come": ("come", "comes", "came", "coming"),
    "leave": ("leave", "leaves", "left", "leaving"), "stay": ("stay", "stays", "stayed", "staying"),
    "return": ("return", "returns", "returned", "returning"), "fall": ("fall", "falls", "fell", "falling"),
    "enter": ("enter", "enters", "entered", "entering"), "bring": ("bring", "brings", "brought", "bringing"),
}

# Verbs whose English object follows a preposition ("waits for the bus"; French: "attend le bus").
PARTICLES = {"wait": "for", "look": "at", "listen": "to"}

# Nouns for people: a relative clause on them starts with "who" ("the man who ..."), else "that".
HUMANS = (MALE | FEMALE | {p for p, _, _ in PROFESSIONS}
          | {"child", "visitor", "tourist", "neighbour", "person", "friend", "guest", "thief", "patients", "pupils"})
