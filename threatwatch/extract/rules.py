"""Sentence rules over a parsed spaCy Doc: incident mentions, attributions, actors and facts.

The rules read the dependency parse and the entities (model NER plus the gazetteer's TW_ACTOR
spans). They work sentence by sentence, then link mentions of one incident within the document.
Everything they return is a model object with evidence; spaCy types stay in this package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from spacy.tokens import Doc, Span, Token

from threatwatch.extract import lexicon as lx
from threatwatch.extract.components import ACTOR_LABEL
from threatwatch.extract.dates import resolve_date
from threatwatch.extract.gazetteer import make_actor_id
from threatwatch.extract.places import Place, PlaceIndex
from threatwatch.extract.quantities import NUMBER, QUALIFIER, parse_quantity
from threatwatch.model import (
    Actor,
    ActorKind,
    Attribute,
    Attribution,
    AttributionStatus,
    CasualtyClaim,
    DateValue,
    Document,
    Evidence,
    Extraction,
    Incident,
    IncidentType,
    Location,
    Relation,
    RelationKind,
    Stage,
    Statement,
    Suspects,
    distance_km,
    make_id,
)

_T = TypeVar("_T")

EXTRACTOR = "threatwatch.events.v1"
"""Versioned name of these rules; recorded on every fact they produce."""

_CASUALTY_KIND = {
    "killed": "killed", "dead": "killed", "died": "killed", "deaths": "killed", "lives": "killed",
    "fatalities": "killed", "death": "killed", "wounded": "wounded", "injured": "wounded",
    "hurt": "wounded", "wounding": "wounded", "injuring": "wounded", "killing": "killed",
    "casualties": "casualties", "injuries": "wounded",
}  # fmt: skip
_Q = rf"(?P<q>(?:{QUALIFIER}\s+)?{NUMBER})"
_CASUALTY_AFTER = re.compile(
    rf"\b{_Q}\s+(?:[\w.-]+\s+){{0,4}}?(?:(?:were|was|have been|had been|are|being)\s+)?"
    r"(?P<k>killed|dead|died|wounded|injured|hurt|casualties|deaths|fatalities)\b",
    re.I,
)
_CASUALTY_BEFORE = re.compile(
    rf"\b(?P<k>killing|killed|wounding|wounded|injuring|injured|claiming the lives of|"
    rf"death toll (?:[\w'\u2019-]+ ){{0,10}}?(?:to|at|of))\s+{_Q}\b",
    re.I,
)
_SUSPECTS = re.compile(
    rf"\b{_Q}\s+(?:\w+\s+){{0,2}}?(?P<who>suspects|men|people|persons|individuals|gunmen|attackers)\b"
    rf"(?=.*\b(?:{lx.CAPTURE_WORDS})\b)",
    re.I,
)
_YEAR_ONLY = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor mentioned in the text: canonical name, kind and where."""

    name: str
    kind: ActorKind
    span: Span
    country: str | None = None


@dataclass(slots=True)
class _Mention:
    """Working state for one incident mention while a document is read (not a model value)."""

    token: Token
    sent_i: int
    type: IncidentType
    stage: Stage
    count: int
    definite: bool
    another: bool
    in_title: bool
    evidence: Evidence
    anaphoric: bool = False
    """A definite plural ("the bombings") that can only point back at an earlier event."""
    targets: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    place: Place | None = None
    place_text: str | None = None
    date: DateValue | None = None
    casualties: list[CasualtyClaim] = field(default_factory=list)
    suspects: list[Suspects] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    cluster: int = -1


class DocumentReader:
    """Reads one parsed document into incidents, actors and statements."""

    def __init__(self, places: PlaceIndex, kinds: dict[str, ActorKind]) -> None:
        self.places = places
        self.kinds = kinds

    def read(self, doc: Doc, document: Document) -> Extraction:
        """Return everything the rules find in `doc` (the parse of `document.text`)."""
        return _Reading(self, doc, document).run()


class _Reading:
    """One pass over one document; holds the per-document state the rules share."""

    def __init__(self, reader: DocumentReader, doc: Doc, document: Document) -> None:
        self.places = reader.places
        self.kinds = reader.kinds
        self.doc = doc
        self.document = document
        self.published: date | None = document.published
        self.publisher = document.publisher or "reporting source"
        self.sents = list(doc.sents)
        self.title_end = _title_end(document.text)
        self.mentions: list[_Mention] = []
        self.actors: dict[str, dict[str, object]] = {}
        self.statements: list[Statement] = []

    # -- helpers -------------------------------------------------------------------------------
    def evidence(self, start: int, end: int, sent: Span) -> Evidence:
        return Evidence(
            document_id=self.document.id,
            start=start,
            end=end,
            sentence=sent.text.strip(),
            extractor=EXTRACTOR,
        )

    def token_evidence(self, token: Token) -> Evidence:
        return self.evidence(token.idx, token.idx + len(token.text), token.sent)

    def actor_refs(self, sent: Span) -> list[ActorRef]:
        refs = []
        for ent in sent.ents:
            if ent.label_ == ACTOR_LABEL:
                name = ent.kb_id_
                refs.append(ActorRef(name, self.kinds.get(name, ActorKind.ARMED_GROUP), ent))
            elif ent.label_ == "GPE" and not _is_based(ent):
                place = self.places.lookup(ent.text)
                if place is not None and place.kind == "country":
                    refs.append(
                        ActorRef(
                            self.places.country_name(place.country),
                            ActorKind.STATE,
                            ent,
                            place.country,
                        )
                    )
        return refs

    def note_actor(self, ref: ActorRef) -> None:
        entry = self.actors.setdefault(
            ref.name,
            {"kind": ref.kind, "country": ref.country, "mentions": [], "aliases": set(),
             "attributes": [], "relations": []},
        )  # fmt: skip
        mentions = entry["mentions"]
        assert isinstance(mentions, list)
        mentions.append(self.evidence(ref.span.start_char, ref.span.end_char, ref.span.sent))
        text = _clean_name(ref.span.text)
        aliases = entry["aliases"]
        assert isinstance(aliases, set)
        if text.casefold() != ref.name.casefold() and ref.kind is not ActorKind.STATE:
            aliases.add(text)

    def add_relation(self, ref: ActorRef, kind: RelationKind, target: str, token: Token) -> None:
        if ref.name == target:
            return
        self.note_actor(ref)
        relations = self.actors[ref.name]["relations"]
        assert isinstance(relations, list)
        relations.append(Relation(kind=kind, target=target, evidence=self.token_evidence(token)))

    def add_attribute(self, ref: ActorRef, name: str, value: str, token: Token) -> None:
        self.note_actor(ref)
        attributes = self.actors[ref.name]["attributes"]
        assert isinstance(attributes, list)
        attributes.append(Attribute(name=name, value=value, evidence=self.token_evidence(token)))

    def asserter_name(self, span: Span | Token) -> str:
        """Return who is asserting, as a reader would name them (Moscow -> Russia)."""
        text = _clean_name(span.text)
        code = self.places.state_of_capital(text)
        if code is not None:
            return self.places.country_name(code)
        place = self.places.lookup(text)
        if place is not None and place.kind == "country":
            return self.places.country_name(place.country)
        for ent in self.doc.ents:
            if (
                ent.label_ == ACTOR_LABEL
                and ent.start_char >= _start(span)
                and ent.end_char <= _end(span)
            ) and ent.text == text:
                return ent.kb_id_
        return text

    # -- the pass --------------------------------------------------------------------------------
    def run(self) -> Extraction:
        dateline = _dateline_place(self.document.text, self.places)
        for sent_i, sent in enumerate(self.sents):
            refs = self.actor_refs(sent)
            for ref in refs:
                if ref.kind is not ActorKind.STATE:
                    self.note_actor(ref)
            found = self.find_mentions(sent, sent_i)
            statistic_tokens = self.find_statistics(sent, refs)
            self.find_casualties(sent, sent_i, found, statistic_tokens)
            self.find_suspects(sent, sent_i, found)
            self.find_attributions(sent, sent_i, refs, found, statistic_tokens)
            self.find_actor_facts(sent, refs)
            self.find_warnings(sent, refs)
            self.find_threat_levels(sent)
            self.find_facilities(sent, refs)
        incidents = self.make_incidents(dateline)
        return Extraction(
            documents=(self.document,),
            incidents=tuple(incidents),
            actors=tuple(self.make_actors()),
            statements=tuple(self.statements),
        )

    # -- incidents -------------------------------------------------------------------------------
    def find_mentions(self, sent: Span, sent_i: int) -> list[_Mention]:
        found: list[_Mention] = []
        strong = [t for t in sent if _trigger_type(t) is not None and not _is_weak(t)]
        for token in sent:
            kind = _trigger_type(token)
            if kind is None or (_is_weak(token) and (strong or not _weak_ok(token))):
                continue
            if token.dep_ == "compound" or token.dep_ == "amod":
                continue
            if _is_embedded(token):
                continue
            count, generic = _count(token)
            if generic or count > 3:
                continue
            if count > 1 and token.lemma_.lower() not in {"attack", "plot"}:
                # "two explosions", "twin bombings": parts of one event, not separate events.
                count = 1
            dets = {c.lower_ for c in token.children if c.dep_ in {"det", "poss", "amod"}}
            # A verb ("gunmen attacked ...") names no new event by itself: it joins a compatible one.
            definite = (
                bool(dets & lx.DEFINITE_DETERMINERS)
                or any(c.dep_ == "poss" for c in token.children)
                or token.pos_ == "VERB"
            )
            another = bool(dets & lx.NEW_DETERMINERS)
            mention = _Mention(
                token=token,
                sent_i=sent_i,
                type=_refine_type(token, kind),
                stage=_stage(token, kind),
                count=count,
                definite=definite,
                another=another,
                in_title=token.idx < self.title_end,
                evidence=self.token_evidence(token),
                anaphoric=token.tag_ in {"NNS", "NNPS"} and _amount_phrase(token) is None,
            )
            self.fill_arguments(mention, sent)
            found.append(mention)
        self.mentions.extend(found)
        return found

    def fill_arguments(self, mention: _Mention, sent: Span) -> None:
        token = mention.token
        for target in _targets(token):
            if self.places.lookup(target) is None:  # "an attack in Krasnogorsk": a place
                mention.targets.append(target)
        place, text = self.find_place(token, sent)
        if place is None and mention.stage in {Stage.FOILED, Stage.PLANNED}:
            # "French officials said they foiled two attacks": a state foils plots at home.
            place = self.foiling_state(sent)
        mention.place, mention.place_text = place, text
        mention.date = self.find_date(token, sent)
        mention.weapons = _weapons(sent)
        mention.perpetrators = _perpetrators(token)
        mention.victims = _victims(token, sent)

    def find_place(self, token: Token, sent: Span) -> tuple[Place | None, str | None]:
        """Return the most precise place the event phrase names, else one the sentence gives."""
        scope = set(_scope(token))
        best: tuple[int, Place, str] | None = None
        for ent in sent.ents:
            if ent.label_ not in _PLACE_LABELS or _is_based(ent):
                continue
            place = self.places.lookup(ent.text)
            if place is None:
                continue
            root = ent.root
            # The model often tags a less known town as NORP or PERSON; a place slot
            # ("in X", "the city of X") with a gazetteer hit is evidence enough.
            if ent.label_ not in {"GPE", "LOC", "FAC"} and not _is_location_slot(root, token):
                continue
            if root.i in scope and _is_location_slot(root, token):
                rank = 3
            elif (
                root.dep_ == "pobj"
                and _is_location_slot(root, token)
                and root.head.head.lower_ != "based"
                and not _in_actor_role(root)
            ):
                rank = 2
            elif (
                root.dep_ == "poss" or _has_possessive(ent)
            ) and root.head.lemma_.lower() not in _AGENT_NOUNS:
                rank = 1
            else:
                continue
            precision = {"city": 2, "admin1": 1}.get(place.kind, 0)
            score = rank * 10 + precision
            if best is None or score > best[0]:
                best = (score, place, ent.text)
        return (best[1], best[2]) if best else (None, None)

    def foiling_state(self, sent: Span) -> Place | None:
        """Return the country of the officials or forces that report or foil, if named."""
        for ent in sent.ents:
            if ent.label_ == "NORP" and ent.root.head.lemma_.lower() in _AGENT_NOUNS:
                code = self.places.country_of_demonym(ent.text)
                if code is not None:
                    return self.places.lookup(self.places.country_name(code))
        return None

    def find_date(self, token: Token, sent: Span) -> DateValue | None:
        """Return the date the event phrase gives; dates of the reporting are not the event's."""
        scope = set(_scope(token))
        best: tuple[int, DateValue] | None = None
        for ent in sent.ents:
            if ent.label_ != "DATE" or ent.root.i not in scope:
                continue
            if _governing_preposition(ent.root) in _NOT_EVENT_TIME:
                continue
            value = resolve_date(ent.text, self.published)
            if value is None:
                continue
            distance = abs(ent.root.i - token.i)
            if best is None or distance < best[0]:
                best = (distance, value)
        return best[1] if best else None

    def find_casualties(
        self, sent: Span, sent_i: int, found: list[_Mention], statistic_tokens: set[int]
    ) -> None:
        if statistic_tokens:
            return
        claims = list(self.iter_casualties(sent))
        if not claims:
            return
        if not found and _other_killer(sent):
            return  # "the strike killed two members": someone else's act, not the incident's toll
        target = found[0] if found else self.recent_mention(sent_i)
        if target is not None:
            target.casualties.extend(claims)

    def iter_casualties(self, sent: Span) -> Iterator[CasualtyClaim]:
        text = sent.text
        seen: set[tuple[int, int]] = set()
        for pattern in (_CASUALTY_AFTER, _CASUALTY_BEFORE):
            for match in pattern.finditer(text):
                amount = match["q"]
                if _YEAR_ONLY.match(amount.strip()):
                    continue
                bounds = parse_quantity(amount)
                if bounds is None:
                    continue
                key = match.span("q")
                if key in seen:
                    continue
                seen.add(key)
                word = match["k"].lower()
                kind = (
                    "killed"
                    if word.startswith(("claiming", "death toll"))
                    else _CASUALTY_KIND[word]
                )
                start = sent.start_char + match.start()
                span = self.doc.char_span(start, start + len(amount), alignment_mode="expand")
                reporter = self.reporter(span.root) if span is not None else self.publisher
                yield CasualtyClaim(
                    kind=kind,
                    min=bounds[0],
                    max=bounds[1],
                    text=match.group(0),
                    evidence=self.evidence(start, sent.start_char + match.end(), sent),
                    asserted_by=reporter,
                )

    def find_suspects(self, sent: Span, sent_i: int, found: list[_Mention]) -> None:
        match = _SUSPECTS.search(sent.text)
        if match is None or (match["who"].lower() != "suspects" and "suspect" not in sent.text.lower()
                             and not re.search(lx.CAPTURE_WORDS, sent.text, re.I)):  # fmt: skip
            return
        bounds = parse_quantity(match["q"])
        count = bounds[0] if bounds else None
        nationality = self.find_nationality(sent)
        following = self.sents[sent_i + 1] if sent_i + 1 < len(self.sents) else None
        if (
            nationality is None
            and following is not None
            and re.match(
                r"\s*(?:\w+\s+said\s+)?(?:the (?:men|suspects|attackers)|they|all)\b",
                following.text,
                re.I,
            )
        ):
            nationality = self.find_nationality(following)
        names = tuple(e.text for e in sent.ents if e.label_ == "PERSON" and e.text.istitle())
        target = found[0] if found else self.recent_mention(sent_i)
        if target is None:
            return
        start = sent.start_char + match.start()
        target.suspects.append(
            Suspects(
                count=count,
                nationality=nationality,
                names=names,
                evidence=self.evidence(start, sent.start_char + match.end(), sent),
            )
        )

    def find_nationality(self, sent: Span) -> str | None:
        text = sent.text
        match = re.search(
            r"\b(?:nationals|citizens|natives) of ([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)", text
        )
        if match:
            place = self.places.lookup(match.group(1))
            if place is not None:
                return place.country
        for token in sent:
            if token.text[:1].isupper():
                code = self.places.country_of_demonym(token.text)
                if code is not None and token.head.lower_ in {
                    "nationals", "citizens", "men", "suspects", "nationality", "national", "citizen",
                }:  # fmt: skip
                    return code
        return None

    def recent_mention(self, sent_i: int, window: int = 3) -> _Mention | None:
        for mention in reversed(self.mentions):
            if sent_i - window <= mention.sent_i <= sent_i:
                return mention
        return None

    # -- attributions ----------------------------------------------------------------------------
    def find_attributions(
        self,
        sent: Span,
        sent_i: int,
        refs: list[ActorRef],
        found: list[_Mention],
        statistic_tokens: set[int],
    ) -> None:
        negated = _negated_confirmation(sent)
        for ref in refs:
            root = ref.span.root
            if _is_affiliation_modifier(root):
                continue
            for status, asserted_by, cue in self.statuses(ref, sent, negated):
                if cue is not None and statistic_tokens & {t.i for t in cue.subtree}:
                    continue
                # An actor reported as doing something is tied only to the act it does.
                strict = status is AttributionStatus.REPORTED
                mention = _bind(cue, found, strict=strict) or (
                    None if found or strict else self.recent_mention(sent_i - 1, window=2)
                )
                if mention is None:
                    continue
                if ref.kind is ActorKind.STATE:
                    self.note_actor(ref)
                mention.attributions.append(
                    Attribution(
                        actor=ref.name,
                        actor_id=make_actor_id(ref.name),
                        status=status,
                        asserted_by=asserted_by,
                        evidence=self.evidence(ref.span.start_char, ref.span.end_char, sent),
                    )
                )

    def statuses(
        self, ref: ActorRef, sent: Span, negated: Token | None
    ) -> Iterator[tuple[AttributionStatus, str, Token | None]]:
        """Yield (status, asserted_by, cue token) for each way the sentence ties `ref` to an act."""
        root = ref.span.root
        ancestors = list(root.ancestors)
        for token in sent:
            lemma = token.lemma_.lower()
            if lemma == "claim" and token.pos_ == "VERB" and _claims_responsibility(token):
                if ref.kind is ActorKind.STATE or _under_preposition(root, token):
                    continue
                if _in_dep(root, token, {"nsubj"}) or _agent_of(root, token):
                    yield AttributionStatus.CLAIMED, ref.name, token
            elif lemma in lx.ACCUSE_NOUNS:
                against = _prep_object(token, {"against"})
                source = _prep_object(token, {"from", "by"})
                if against is not None and root in against.subtree:
                    by = self.asserter_name(source) if source is not None else self.publisher
                    yield (
                        AttributionStatus.ACCUSED,
                        by,
                        token.head if token.dep_ == "pobj" else token,
                    )
            elif lemma in {"accuse", "blame"} and token.pos_ == "VERB":
                subject = _child(token, {"nsubj"})
                accused = (
                    _child(token, {"dobj"})
                    if lemma == "accuse"
                    else (_prep_object(token, {"on"}) or _child(token, {"dobj"}))
                )
                if accused is not None and root in accused.subtree and subject is not None:
                    yield AttributionStatus.ACCUSED, self.asserter_name(_phrase(subject)), token
            elif lemma in {"deny", "reject"} and token.pos_ == "VERB":
                if _in_dep(root, token, {"nsubj"}):
                    yield AttributionStatus.DENIED, self.asserter_name(ref.span), token
            elif lemma in lx.SUSPECT_NOUNS:
                on = (
                    _prep_object(token.head, {"on"})
                    if token.dep_ in {"nsubj", "nsubjpass"}
                    else None
                )
                on = on or _prep_object(token, {"on", "of"})
                if on is not None and root in on.subtree:
                    yield AttributionStatus.SUSPECTED, self.publisher, token.head
            elif lemma == "suspect" and token.pos_ == "VERB":
                if _in_dep(root, token, {"dobj", "nsubjpass"}):
                    subject = _child(token, {"nsubj"})
                    by = (
                        self.asserter_name(_phrase(subject))
                        if subject is not None
                        else self.publisher
                    )
                    yield AttributionStatus.SUSPECTED, by, token
            elif lemma == "confirm" and token.pos_ == "VERB" and not _is_negated(token):
                subject = _child(token, {"nsubj"})
                if subject is not None and root not in subject.subtree and root in token.subtree:
                    yield AttributionStatus.CONFIRMED, self.asserter_name(_phrase(subject)), token
        if any(
            a.lower_ == "suspected" for a in root.head.children if root.dep_ == "compound"
        ) or any(c.lower_ == "suspected" for c in root.children):
            yield AttributionStatus.SUSPECTED, self.publisher, root.head
        if negated is not None:
            scope = _child(negated, {"nsubj", "nsubjpass", "dobj"})
            if scope is not None and root in scope.subtree:
                yield AttributionStatus.UNCONFIRMED, self.publisher, scope
        # Perpetration: the actor acts (subject of carry out/conduct...) or modifies the trigger.
        linked = root.head.head if root.dep_ == "pobj" and root.head.lower_ == "to" else None
        if linked is not None and linked.lemma_.lower() in {"link", "tie", "connect"}:
            if _trigger_type(linked.head) is not None:
                yield AttributionStatus.REPORTED, self.reporter(root), linked.head
        elif (
            root.dep_ in {"compound", "poss", "nmod"} and _trigger_type(root.head) is not None
        ) or (root.dep_ == "nsubj" and root.head.lemma_.lower() in lx.PERPETRATE_VERBS):
            yield AttributionStatus.REPORTED, self.reporter(root), root.head
        elif (
            root.dep_ == "pobj"
            and root.head.lower_ == "by"
            and any(
                _trigger_type(a) is not None or a.lemma_.lower() in lx.PERPETRATE_VERBS
                for a in ancestors[:3]
            )
        ):
            yield AttributionStatus.REPORTED, self.reporter(root), root.head.head

    def reporter(self, token: Token) -> str:
        """Return who reports the clause holding `token`: a `say/report` subject or the publisher."""
        for ancestor in token.ancestors:
            if ancestor.lemma_.lower() in lx.REPORT_VERBS:
                subject = _child(ancestor, {"nsubj"})
                if subject is not None and token not in subject.subtree:
                    return self.asserter_name(_phrase(subject))
        for child in token.sent:
            if child.lower_ == "according" and child.nbor().lower_ == "to":
                obj = _child(child.nbor(), {"pobj"})
                if obj is not None:
                    return self.asserter_name(_phrase(obj))
        return self.publisher

    # -- other statements ------------------------------------------------------------------------
    def add_statements(
        self, schema: str, key: str, props: dict[str, str | None], ev: Evidence
    ) -> None:
        entity_id = make_id(schema.lower(), self.document.id, key)
        for prop, value in props.items():
            if value:
                self.statements.append(
                    Statement(
                        entity_id=entity_id, schema=schema, prop=prop, value=value, evidence=ev
                    )
                )

    def find_statistics(self, sent: Span, refs: list[ActorRef]) -> set[int]:
        """Record counted plurals ("over 190 suicide bombings") as reported statistics."""
        tokens: set[int] = set()
        for token in sent:
            kind = _trigger_type(token)
            if kind is None or token.tag_ not in {"NNS", "NNPS"}:
                continue
            amount = _amount_phrase(token)
            if amount is None:
                continue
            bounds = parse_quantity(amount)
            if bounds is None or (bounds[0] or 0) <= 3:
                continue
            tokens.update(t.i for t in token.subtree)
            subject = next((r.name for r in refs if not _is_affiliation_modifier(r.span.root)
                            and r.kind is ActorKind.ARMED_GROUP), None)  # fmt: skip
            claimed = any(t.lemma_.lower() == "claim" for t in token.ancestors)
            metric = _refine_type(token, kind).value + ("s_claimed" if claimed else "s")
            period = self.find_period(sent)
            reporter = self.find_reporter(sent, refs) or self.publisher
            ev = self.token_evidence(token)
            self.add_statements(
                "Statistic",
                f"{token.idx}",
                {"reporter": reporter, "subject": subject, "metric": metric,
                 "min": _str(bounds[0]), "max": _str(bounds[1]), "text": f"{amount} {token.text}",
                 "period": period},
                ev,
            )  # fmt: skip
            for claim in self.iter_casualties(sent):
                self.add_statements(
                    "Statistic",
                    f"{claim.evidence.start}",
                    {"reporter": reporter, "subject": subject, "metric": claim.kind,
                     "min": _str(claim.min), "max": _str(claim.max), "text": claim.text,
                     "period": period},
                    claim.evidence,
                )  # fmt: skip
        return tokens

    def find_period(self, sent: Span) -> str | None:
        for ent in sent.ents:
            if ent.label_ == "DATE":
                value = resolve_date(ent.text, self.published)
                if value is not None and value.value:
                    return value.value
        return None

    def find_reporter(self, sent: Span, refs: list[ActorRef]) -> str | None:
        for ref in refs:
            root = ref.span.root
            if root.dep_ in {"compound", "nsubj"} and (
                root.head.lemma_.lower()
                in {"data", "datum", "report", "figure", "statistic", "team"}
                or root.head.lemma_.lower() in lx.REPORT_VERBS | {"reveal", "show", "find"}
            ):
                return ref.name
            if (
                root.dep_ == "pobj"
                and root.head.lower_ == "to"
                and root.head.head.lower_ == "according"
            ):
                return ref.name
        return None

    def find_warnings(self, sent: Span, refs: list[ActorRef]) -> None:
        for token in sent:
            if token.lemma_.lower() != "warn" or token.pos_ != "VERB":
                continue
            issuer = _child(token, {"nsubj"})
            if issuer is None:
                continue
            issuer_name = self.asserter_name(_phrase(issuer))
            scope = {t.i for t in token.subtree} - {t.i for t in issuer.subtree}
            subjects = [
                r.name for r in refs if r.span.root.i in scope and r.kind is ActorKind.ARMED_GROUP
            ]
            targets = [r.country for r in refs if r.span.root.i in scope and r.country]
            self.add_statements(
                "Warning",
                f"{token.idx}",
                {"issuer": issuer_name, "subject": subjects[0] if subjects else None,
                 "target_country": targets[0] if targets else None, "text": sent.text.strip()},
                self.token_evidence(token),
            )  # fmt: skip

    def find_threat_levels(self, sent: Span) -> None:
        lowered = sent.text.lower()
        if not re.search(r"\b(threat|alert|terror) level|\bterror alert", lowered):
            return
        direction = None
        for token in sent:
            lemma = token.lemma_.lower()
            if lemma in {"raise", "raising", "elevate", "heighten", "increase", "lift"}:
                direction = "raised"
            elif lemma in {"lower", "reduce", "downgrade", "decrease"}:
                direction = "lowered"
        if direction is None:
            return
        country = None
        for ent in sent.ents:
            if ent.label_ == "GPE":
                place = self.places.lookup(ent.text)
                if place is not None and place.kind == "country":
                    country = place.country
                    break
        if country is None:
            return
        level = next(t for t in sent if t.lower_ == "level" or t.lower_ == "alert")
        date_value = self.find_period(sent)
        self.add_statements(
            "ThreatLevelChange",
            f"{level.idx}",
            {"country": country, "direction": direction, "date": date_value,
             "reported_on": self.published.isoformat() if self.published else None,
             "text": sent.text.strip()},
            self.token_evidence(level),
        )  # fmt: skip

    def find_facilities(self, sent: Span, refs: list[ActorRef]) -> None:
        for token in sent:
            lemma = token.lemma_.lower()
            if lemma not in {"camp", "stronghold", "hideout", "base"} or token.pos_ != "NOUN":
                continue
            if lemma == "base" and not any(c.lower_ == "military" for c in token.children):
                continue
            kind = "training_camp" if any(c.lower_ == "training" for c in token.children) else lemma
            operator = next(
                (
                    r.name
                    for r in refs
                    if r.span.root.head == token and r.span.root.dep_ in {"poss", "compound"}
                ),
                None,
            )
            region_token = None
            for ancestor in [token, *token.ancestors]:
                for prep in ancestor.children:
                    obj = _child(prep, {"pobj"}) if prep.dep_ == "prep" else None
                    if (
                        prep.lower_ in {"in", "across"}
                        and obj is not None
                        and obj.ent_type_ != "DATE"
                    ):
                        region_token = obj
                        break
                if region_token is not None:
                    break
            if region_token is None:
                continue
            region = _phrase_text(region_token, whole=True)
            country = None
            for ent in sent.ents:
                if ent.label_ == "GPE" and ent.root.i in {t.i for t in region_token.subtree}:
                    place = self.places.lookup(ent.text)
                    country = place.country if place else None
            self.add_statements(
                "Facility",
                f"{token.idx}",
                {"kind": kind, "operator": operator, "region": region, "country": country,
                 "reporter": self.find_reporter(sent, refs) or self.reporter(token),
                 "text": sent.text.strip()},
                self.token_evidence(token),
            )  # fmt: skip
            return

    def find_actor_facts(self, sent: Span, refs: list[ActorRef]) -> None:
        groups = [r for r in refs if r.kind is ActorKind.ARMED_GROUP]
        by_root = {r.span.root.i: r for r in groups}
        for ref in groups:
            root = ref.span.root
            # "the Afghanistan-based ISIS affiliate, ISIS-K": B affiliate of A; both operate in X.
            if _is_affiliation_modifier(root):
                noun = root.head
                inside = {t.i for t in noun.subtree}
                for other in groups:
                    other_root = other.span.root
                    if other_root.i in inside and not _is_affiliation_modifier(other_root):
                        self.add_relation(other, RelationKind.AFFILIATE_OF, ref.name, noun)
            for based in () if _is_affiliation_modifier(root) else _based_places(root):
                place = self.places.lookup(based.text)
                if place is not None:
                    self.add_relation(ref, RelationKind.OPERATES_IN, place.name, based)
        # "ISIS-K is ... one of the branches of the global ISIS network"
        for token in sent:
            if token.lemma_.lower() not in {"branch", "affiliate", "franchise", "offshoot", "wing"}:
                continue
            of = _prep_object(token, {"of"})
            if of is None:
                continue
            parents = [r for r in groups if r.span.root.i in {t.i for t in of.subtree}]
            subject = _clause_subject(token)
            child = by_root.get(subject.i) if subject is not None else None
            for parent in parents:
                if child is not None and child.name != parent.name:
                    self.add_relation(child, RelationKind.AFFILIATE_OF, parent.name, token)
        self.find_rivalry(sent, groups)
        self.find_founding(sent, by_root)

    def find_rivalry(self, sent: Span, groups: list[ActorRef]) -> None:
        """`A challenges/combats/fights B`: the doer in the clause subject, the other in the object."""
        if len({r.name for r in groups}) < 2:
            return
        for cue in sent:
            if cue.lemma_.lower() not in lx.RIVAL_LEMMAS or cue.pos_ != "VERB":
                continue
            subject = _clause_subject(cue)
            objects = [c for c in cue.children if c.dep_ in {"dobj", "prep"}]
            if subject is None or not objects:
                continue
            doers = [r for r in groups if r.span.root in subject.subtree]
            others = [r for r in groups for o in objects if r.span.root in o.subtree]
            for doer in doers:
                for other in others:
                    if doer.name != other.name:
                        self.add_relation(doer, RelationKind.RIVAL_OF, other.name, cue)
                        self.add_relation(other, RelationKind.RIVAL_OF, doer.name, cue)

    def find_founding(self, sent: Span, by_root: dict[int, ActorRef]) -> None:
        for token in sent:
            if (
                token.lemma_.lower() not in {"establish", "found", "form", "create"}
                or token.pos_ != "VERB"
            ):
                continue
            year = None
            region = None
            for prep in token.children:
                if prep.dep_ != "prep":
                    continue
                obj = _child(prep, {"pobj"})
                if obj is None:
                    continue
                if prep.lower_ == "in" and _YEAR_ONLY.match(obj.text):
                    year = obj.text
                elif prep.lower_ in {"along", "in", "on"}:
                    region = _phrase_text(obj, whole=True)
            if year is None:
                continue
            subject = _child(token, {"nsubjpass", "nsubj"})
            if subject is None and token.dep_ in {"advcl", "acl", "ROOT"}:
                subject = _clause_subject(token.head if token.dep_ != "ROOT" else token)
            ref = by_root.get(subject.i) if subject is not None else None
            if ref is None:
                continue
            self.add_attribute(ref, "founded", year, token)
            if region:
                self.add_attribute(ref, "base_region", region, token)
            aim = next((t for t in sent if t.lemma_.lower() == "aim" and t.pos_ == "VERB"), None)
            if aim is not None and _child(aim, {"nsubj"}) is not None:
                goal = _child(aim, {"xcomp"})
                if goal is not None:
                    self.add_attribute(
                        ref, "aims", _tokens_text(list(goal.subtree)).removeprefix("to "), aim
                    )

    # -- assembly --------------------------------------------------------------------------------
    def make_incidents(self, dateline: Place | None) -> list[Incident]:
        clusters: list[list[_Mention]] = []
        for mention in self.mentions:
            if mention.count > 1 or mention.another or not self.joins(mention, clusters):
                if mention.anaphoric:
                    continue  # "the bombings" with nothing earlier to point at: not a new event
                for _ in range(mention.count):
                    mention.cluster = len(clusters)
                    clusters.append([mention])
        return [self.make_incident(c, i, dateline) for i, c in enumerate(clusters)]

    def joins(self, mention: _Mention, clusters: list[list[_Mention]]) -> bool:
        """Attach a mention to an earlier incident it refers back to; True if it did."""
        for index in range(len(clusters) - 1, -1, -1):
            cluster = clusters[index]
            if len(cluster) and cluster[0].count > 1:
                continue
            head = cluster[0]
            if not _compatible(mention, cluster):
                continue
            # "the concert hall attack" names the target of "an attack on a concert hall".
            cluster_words = {w for m in cluster for t in m.targets for w in t.lower().split()}
            mention_words = {w for t in mention.targets for w in t.lower().split()}
            mention_words |= {c.lower_ for c in mention.token.children if c.dep_ == "compound"}
            shares_target = bool(cluster_words & mention_words)
            same_place = mention.place is not None and any(
                m.place is not None and m.place.name == mention.place.name for m in cluster
            )
            adds_nothing = mention.place is None and mention.date is None
            if mention.definite or shares_target or head.in_title or same_place or adds_nothing:
                mention.cluster = index
                cluster.append(mention)
                return True
        return False

    def make_incident(
        self, cluster: list[_Mention], index: int, dateline: Place | None
    ) -> Incident:
        first = cluster[0]
        kind = max((m.type for m in cluster), key=lambda t: lx.TYPE_RANK[t])
        if any(m.type is IncidentType.PLOT for m in cluster) and stage_of_plot(cluster):
            kind = IncidentType.PLOT
        stage = _merge_stage([m.stage for m in cluster])
        placed = [m for m in cluster if m.place is not None]
        place = (
            max(
                placed,
                key=lambda m: {"city": 2, "admin1": 1}.get(m.place.kind, 0) if m.place else 0,
            ).place
            if placed
            else dateline
        )
        dated = [m.date for m in cluster if m.date is not None and m.date.value]
        date_value = (
            max(dated, key=lambda d: len(d.value or "")) if dated else DateValue.unresolved()
        )
        attributions = list(
            {
                (a.actor, a.status, a.asserted_by): a
                for m in reversed(cluster)
                for a in reversed(m.attributions)
            }.values()
        )[::-1]
        describing = next((m for m in cluster if not m.in_title), first)
        return Incident(
            id=make_id("inc", self.document.id, first.token.idx, index),
            type=kind,
            stage=stage,
            date=date_value,
            location=_location(place, self.places),
            description=describing.evidence.sentence,
            targets=tuple(dict.fromkeys(t for m in cluster for t in m.targets)),
            victims=tuple(dict.fromkeys(v for m in cluster for v in m.victims)),
            weapons=tuple(dict.fromkeys(w for m in cluster for w in m.weapons)),
            perpetrators=tuple(dict.fromkeys(p for m in cluster for p in m.perpetrators)),
            casualties=tuple(_unique(c for m in cluster for c in m.casualties)),
            suspects=tuple(_unique(s for m in cluster for s in m.suspects)),
            attributions=tuple(attributions),
            evidence=tuple(m.evidence for m in cluster),
            document_ids=(self.document.id,),
        )

    def make_actors(self) -> Iterator[Actor]:
        for name, entry in self.actors.items():
            aliases = entry["aliases"]
            attributes = entry["attributes"]
            relations = entry["relations"]
            mentions = entry["mentions"]
            kind = entry["kind"]
            country = entry["country"]
            assert isinstance(aliases, set) and isinstance(attributes, list)
            assert isinstance(relations, list) and isinstance(mentions, list)
            assert isinstance(kind, ActorKind) and (country is None or isinstance(country, str))
            yield Actor(
                id=make_actor_id(name),
                name=name,
                kind=kind,
                aliases=tuple(sorted(aliases)),
                country=country,
                attributes=tuple(_unique(attributes)),
                relations=tuple(_unique(relations)),
                mentions=tuple(mentions),
            )


# -- module-level helpers over tokens -----------------------------------------------------------


def _start(span: Span | Token) -> int:
    return span.start_char if isinstance(span, Span) else span.idx


def _end(span: Span | Token) -> int:
    return span.end_char if isinstance(span, Span) else span.idx + len(span.text)


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


def _unique(items: Iterable[_T]) -> list[_T]:
    return list(dict.fromkeys(items))


def _clean_name(text: str) -> str:
    text = re.sub(r"[\u2019']s?$", "", text.strip())
    return re.sub(r"^the\s+", "", text, flags=re.I).strip()


def _title_end(text: str) -> int:
    """Return where a headline ends: the first line when it has no closing full stop."""
    first = text.split("\n", 1)[0]
    return len(first) if "\n" in text and not first.rstrip().endswith((".", "!", "?", '"')) else 0


def _dateline_place(text: str, places: PlaceIndex) -> Place | None:
    """Return the place of a wire dateline (`SAN SALVADOR, 3 JAN 90 (RADIO ...) --`)."""
    match = re.match(r"\s*([A-Z][A-Za-z .'-]{2,40}?),\s+\d{1,2}\s+[A-Za-z]{3}", text)
    if match is None:
        return None
    return places.lookup(match.group(1).title())


def _trigger_type(token: Token) -> IncidentType | None:
    lemma = token.lemma_.lower()
    lower = token.lower_
    if token.pos_ in {"NOUN", "PROPN"}:
        return lx.TRIGGER_NOUNS.get(lemma) or lx.TRIGGER_NOUNS.get(lower.rstrip("s"))
    if token.pos_ == "VERB":
        return lx.TRIGGER_VERBS.get(lemma)
    return None


def _is_weak(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in lx.WEAK_VERBS


def _weak_ok(token: Token) -> bool:
    """A weak verb reports an incident when it has a doer and a victim (`gunmen killed two`)."""
    if token.dep_ in {"acl", "advcl", "amod", "xcomp"} or token.tag_ == "VBG":
        return False
    doers = [c for c in token.children if c.dep_ in {"nsubj", "agent"}]
    if token.lemma_.lower() == "explode":
        return any(d.lower_ in lx.WEAPONS or d.lemma_.lower() in lx.WEAPONS for d in doers)
    victims = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
    return (
        any(_is_perpetrator(d) for d in doers)
        and not any(_is_perpetrator(v) for v in victims)
        and bool(victims)
    )


def _is_perpetrator(token: Token) -> bool:
    """True for a doer of violence: `gunmen`, `a suicide bomber`, a named group or person."""
    return (
        token.lemma_.lower() in lx.PERPETRATOR_NOUNS
        or token.lower_ in lx.PERPETRATOR_NOUNS
        or token.ent_type_ in {"TW_ACTOR", "PERSON", "ORG"}
    )


def _is_embedded(token: Token) -> bool:
    """True for a trigger that is not an event of its own.

    It may be warned of ("warned of a threat of an attack"), part of a plot ("a plot to attack
    a synagogue"), habitual ("has attacked Taliban officials many times"), or in quotes.
    """
    if token.pos_ == "VERB" and token.dep_ in {"xcomp", "acl", "advcl"}:
        siblings = [c for c in token.head.children if c is not token]
        if any(_trigger_type(c) is IncidentType.PLOT for c in siblings):
            return True  # "foiled a plot to attack a stadium": the attack is the plot's aim
    for ancestor in list(token.ancestors)[:4]:
        lemma = ancestor.lemma_.lower()
        if lemma in {"warn", "threat", "fear", "risk", "danger"}:
            return True
        if token.pos_ == "VERB" and (
            lemma in lx.PLAN_WORDS or _trigger_type(ancestor) is IncidentType.PLOT
        ):
            return True
    if token.pos_ == "VERB":
        auxes = {c.lower_ for c in token.children if c.dep_ == "aux"}
        habitual = any(
            c.lower_ in {"repeatedly", "often", "frequently", "regularly"} for c in token.children
        )
        habitual = habitual or any(
            c.lower_ == "times"
            for c in token.subtree
            if c.head.dep_ == "npadvmod" or c.dep_ == "npadvmod"
        )
        dated = any(t.ent_type_ == "DATE" for t in token.subtree)
        if habitual or (auxes & {"has", "have"} and not dated):
            return True
    return False


def _count(token: Token) -> tuple[int, bool]:
    """Return (how many incidents the mention stands for, whether it is generic)."""
    if token.pos_ == "VERB":
        return 1, False
    dets = {c.lower_ for c in token.children if c.dep_ in {"det", "amod", "nummod", "quantmod"}}
    if dets & lx.GENERIC_DETERMINERS:
        return 1, True
    amount = _amount_phrase(token)
    if token.tag_ in {"NNS", "NNPS"}:
        if amount is None:
            # "the bombings" points back at known events; bare "attacks" is generic.
            definite = "the" in dets or any(c.dep_ == "poss" for c in token.children)
            return 1, not definite
        bounds = parse_quantity(amount)
        if bounds is None or bounds[0] is None:
            return 1, True
        return bounds[0] if bounds[1] == bounds[0] else 99, False
    return 1, False


def _amount_phrase(token: Token) -> str | None:
    nums = [c for c in token.children if c.dep_ == "nummod"]
    if not nums:
        return None
    num = nums[0]
    words = list(num.subtree)
    return " ".join(t.text for t in words)


def _refine_type(token: Token, kind: IncidentType) -> IncidentType:
    mods = {c.lower_ for c in token.children} | {token.nbor(-1).lower_ if token.i > 0 else ""}
    if token.pos_ == "VERB":
        for child in token.children:
            if child.dep_ in {"nsubj", "agent"}:
                mods |= {t.lower_ for t in child.subtree}
    if "suicide" in mods and kind in {IncidentType.ATTACK, IncidentType.BOMBING}:
        return IncidentType.SUICIDE_ATTACK
    if kind is IncidentType.ATTACK and mods & {
        "bomb",
        "car",
        "grenade",
        "rocket",
        "mortar",
        "dynamite",
    }:
        return IncidentType.BOMBING
    if kind is IncidentType.ATTACK and mods & {"arson", "incendiary"}:
        return IncidentType.ARSON
    if kind is IncidentType.ATTACK and mods & {"armed", "gun", "knife"}:
        return IncidentType.ARMED_ASSAULT
    return kind


def _stage(token: Token, kind: IncidentType) -> Stage:
    nearby = (
        [token.head, token.head.head]
        if token.dep_ in {"dobj", "pobj", "nsubjpass", "conj"}
        else [token.head]
    )
    words = {t.lemma_.lower() for t in nearby} | {t.lower_ for t in nearby}
    if words & lx.FOIL_WORDS:
        return Stage.FOILED
    mods = {c.lower_ for c in token.children} | {c.lemma_.lower() for c in token.children}
    if mods & lx.ATTEMPT_WORDS or token.head.lemma_.lower() == "attempt":
        return Stage.ATTEMPTED
    if kind is IncidentType.PLOT or words & lx.PLAN_WORDS:
        return Stage.PLANNED
    if words & lx.THREAT_WORDS:
        return Stage.THREATENED
    return Stage.ACCOMPLISHED


def stage_of_plot(cluster: list[_Mention]) -> bool:
    """True when a cluster holding a plot never got past planning (foiled, planned)."""
    return all(m.stage is not Stage.ACCOMPLISHED or m.type is IncidentType.PLOT for m in cluster)


def _merge_stage(stages: list[Stage]) -> Stage:
    for stage in (
        Stage.FOILED,
        Stage.ATTEMPTED,
        Stage.ACCOMPLISHED,
        Stage.THREATENED,
        Stage.PLANNED,
    ):
        if stage in stages:
            return stage
    return Stage.ACCOMPLISHED


def _compatible(mention: _Mention, cluster: list[_Mention]) -> bool:
    plots = {m.type is IncidentType.PLOT for m in cluster}
    unrealised = mention.stage in {Stage.PLANNED, Stage.FOILED, Stage.ATTEMPTED}
    is_plot = mention.type is IncidentType.PLOT
    if is_plot not in plots and not (True in plots and unrealised):
        return False
    places = {m.place.country for m in cluster if m.place is not None}
    if mention.place is not None and places and mention.place.country not in places:
        return False
    cities = [m.place for m in cluster if m.place is not None and m.place.kind == "city"]
    place = mention.place
    if (
        place is not None
        and place.kind == "city"
        and cities
        and not any(is_near(place, city) for city in cities)
    ):
        return False
    dates = {m.date.value for m in cluster if m.date is not None and m.date.value}
    return not (
        mention.date is not None
        and mention.date.value
        and dates
        and not any(
            d.startswith(mention.date.value) or mention.date.value.startswith(d) for d in dates
        )
    )


NEAR_KM = 60.0
"""Places closer than this are one place for matching ("near Moscow" and Krasnogorsk)."""
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP", "ORG", "PERSON"})
# "Tajikistan's government condemned the attack": a possessive that names an actor, not a place.
_AGENT_NOUNS = frozenset(
    {"government", "official", "officials", "president", "ministry", "minister", "police",
     "force", "forces", "army", "military", "leader", "leaders", "authorities", "embassy",
     "service", "services", "spokesman", "spokeswoman", "prime", "foreign", "interior"}
)  # fmt: skip
_NOT_EVENT_TIME = frozenset({"since", "until", "before", "by", "for", "after", "within"})
_EVENT_VERBS = frozenset(
    {"strike", "hit", "go", "kill", "occur", "happen", "take", "rock", "target", "tear", "leave",
     "claim", "wound", "injure"}
)  # fmt: skip
_PLACE_NOUNS = frozenset(
    {"city", "town", "village", "province", "region", "capital", "district", "outskirts", "suburb",
     "suburbs", "area", "oblast", "state", "department", "neighbourhood", "neighborhood"}
)  # fmt: skip


def _verb_scope(verb: Token, skip: set[str]) -> Iterator[int]:
    for child in verb.children:
        if child.dep_ not in skip:
            yield from (t.i for t in child.subtree)
    yield verb.i


def _scope(token: Token) -> Iterator[int]:
    """Token indices that belong to a trigger's own phrase (not its clause's subject).

    A noun trigger that is the subject of an event verb ("two explosions struck a crowd in
    Kerman on Wednesday") also owns that verb's objects and modifiers.
    """
    if token.pos_ == "VERB":
        yield from _verb_scope(token, {"nsubj", "nsubjpass", "advcl", "ccomp"})
        return
    for t in token.subtree:
        if t.dep_ != "relcl":
            yield t.i
    aim = _plot_aim(token)
    if aim is not None:
        yield from _verb_scope(aim, {"nsubj", "nsubjpass", "advcl", "ccomp"})
    head = token.head
    if token.dep_ in {"nsubj", "nsubjpass"} and head.lemma_.lower() in _EVENT_VERBS:
        yield from _verb_scope(head, {"nsubj", "nsubjpass", "ccomp"})


def _other_killer(sent: Span) -> bool:
    """True when the sentence says something other than a perpetrator killed people."""
    for token in sent:
        if token.pos_ == "VERB" and token.lemma_.lower() in {"kill", "wound", "injure"}:
            doer = _child(token, {"nsubj"})
            if doer is not None and not _is_perpetrator(doer) and _trigger_type(doer) is None:
                return doer.lemma_.lower() not in {"toll", "explosion", "blast", "bomb"}
    return False


def _has_possessive(ent: Span) -> bool:
    return ent.end < len(ent.doc) and ent.doc[ent.end].tag_ == "POS"


def _governing_preposition(token: Token) -> str:
    """Return the preposition a phrase hangs from ("since the 1979 revolution" -> since)."""
    node = token
    for _ in range(3):
        if node.dep_ == "pobj":
            return node.head.lower_
        if node.head == node:
            break
        node = node.head
    return ""


def is_near(a: Place, b: Place, km: float = NEAR_KM) -> bool:
    """True when two places are the same or their centres lie within `km` of each other."""
    if a.name == b.name:
        return True
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return False
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= km


def _plot_aim(token: Token) -> Token | None:
    """Return the verb a plot aims at ("a plot to attack a stadium" -> attack), if any."""
    if _trigger_type(token) is not IncidentType.PLOT:
        return None
    for candidate in [*token.children, *token.head.children]:
        if (
            candidate.pos_ == "VERB"
            and candidate.dep_ in {"acl", "xcomp"}
            and candidate is not token
        ):
            return candidate
    return None


def _is_location_slot(root: Token, trigger: Token) -> bool:
    """True when a place name is where the event happened, not whom it targeted or who acted."""
    if root.dep_ == "pobj":
        prep = root.head.lower_
        if prep in {"in", "near", "outside", "at", "inside", "across", "around", "on"}:
            return True
        return prep == "of" and root.head.head.lemma_.lower() in _PLACE_NOUNS
    if root.dep_ in {"compound", "nmod", "poss", "npadvmod"}:
        return root.head == trigger or root.head.lemma_.lower() in _PLACE_NOUNS
    return False


def _targets(token: Token) -> Iterator[str]:
    objects: list[Token] = []
    if token.pos_ == "VERB":
        objects += [c for c in token.children if c.dep_ == "dobj"]
    aim = _plot_aim(token)
    if aim is not None:
        objects += [c for c in aim.children if c.dep_ == "dobj"]
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in {"on", "against", "at", "in"}:
            obj = _child(child, {"pobj"})
            if obj is not None and obj.ent_type_ not in {"GPE", "LOC", "DATE", "TIME", "TW_ACTOR"}:
                objects.append(obj)
        if child.dep_ in {"acl", "relcl"} and child.lemma_.lower() in {"target", "hit", "strike"}:
            objects += [c for c in child.children if c.dep_ == "dobj"]
    for obj in objects:
        if obj.lemma_.lower() in lx.PERPETRATOR_NOUNS or obj.ent_type_ == "PERSON":
            continue
        yield _phrase_text(obj)
        for conj in obj.conjuncts:
            yield _phrase_text(conj)


def _weapons(sent: Span) -> list[str]:
    found = []
    for token in sent:
        if token.lower_ in lx.WEAPONS and token.pos_ in {"NOUN", "PROPN"}:
            found.append(_phrase_text(token))
    return found


def _perpetrators(token: Token) -> list[str]:
    found = []
    if token.pos_ == "VERB":
        for child in token.children:
            if (
                child.dep_ == "nsubj"
                and child.ent_type_ != "TW_ACTOR"
                and (
                    child.lemma_.lower() in lx.PERPETRATOR_NOUNS
                    or child.lower_ in lx.PERPETRATOR_NOUNS
                    or child.ent_type_ == "PERSON"
                )
            ):
                found.append(_phrase_text(child))
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            obj = _child(child, {"pobj"})
            if (
                obj is not None
                and obj.ent_type_ != "TW_ACTOR"
                and (obj.lower_ in lx.PERPETRATOR_NOUNS or obj.ent_type_ == "PERSON")
            ):
                found.append(_phrase_text(obj))
    return found


def _victims(token: Token, sent: Span) -> list[str]:
    victims = []
    for t in sent:
        if t.pos_ == "VERB" and t.lemma_.lower() in {
            "kill",
            "murder",
            "kidnap",
            "abduct",
            "assassinate",
            "shoot",
            "wound",
            "injure",
        }:
            for child in t.children:
                if child.dep_ in {"dobj", "nsubjpass"} and child.ent_type_ == "PERSON":
                    victims.append(_ent_text(child))
    return victims


def _ent_text(token: Token) -> str:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.text
    return token.text


def _phrase_text(token: Token, *, whole: bool = False) -> str:
    """The noun phrase headed by `token` as written, without leading determiners.

    By default it ends at the head ("a concert hall in the suburbs" -> "concert hall"); `whole`
    keeps what follows ("the border between Afghanistan and Pakistan").
    """
    doc = token.doc
    start = token.left_edge.i
    end = (token.right_edge.i if whole else token.i) + 1
    while start < token.i and (
        doc[start].is_punct
        or doc[start].dep_ in {"det", "predet"}
        or doc[start].tag_ == "PRP$"
        or (doc[start].dep_ == "poss" and doc[start].ent_type_ == "" and doc[start].pos_ == "PRON")
    ):
        start += 1
    return doc[start:end].text.strip(" ,;")


def _tokens_text(tokens: list[Token]) -> str:
    text = ""
    for t in tokens:
        text += t.text + t.whitespace_
    return text.strip().rstrip(",")


def _phrase(token: Token) -> Span:
    """The span of a token's whole subtree."""
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _child(token: Token, deps: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _prep_object(token: Token, preps: set[str]) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            obj = _child(child, {"pobj"})
            if obj is not None:
                return obj
    return None


def _in_dep(root: Token, head: Token, deps: set[str]) -> bool:
    """True when `root` lies inside a child of `head` attached with one of `deps`."""
    for child in head.children:
        if child.dep_ in deps and root in child.subtree:
            return True
    # Subjects are shared across coordinated verbs: "ISIS claimed ... and attributed ...".
    if head.dep_ == "conj":
        return _in_dep(root, head.head, deps)
    return False


def _under_preposition(root: Token, stop: Token) -> bool:
    """True when a preposition lies between `root` and its ancestor `stop` ("affiliate in X")."""
    node = root
    while node != stop and node.head != node:
        if node.dep_ == "pobj":
            return True
        node = node.head
    return False


def _agent_of(root: Token, verb: Token) -> bool:
    agent = _child(verb, {"agent"})
    return agent is not None and root in agent.subtree


def _claims_responsibility(token: Token) -> bool:
    words = {t.lemma_.lower() for t in token.subtree}
    return bool(words & {"responsibility", "credit"}) or any(
        _trigger_type(t) is not None for t in token.subtree
    )


def _is_negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _negated_confirmation(sent: Span) -> Token | None:
    for token in sent:
        if token.lemma_.lower() in lx.NEGATED_CONFIRM and _is_negated(token):
            return token
    return None


def _is_affiliation_modifier(root: Token) -> bool:
    return root.dep_ in {"compound", "poss", "nmod", "amod"} and (
        root.head.lemma_.lower() in lx.AFFILIATION_NOUNS or root.head.lower_ in lx.AFFILIATION_NOUNS
    )


def _in_actor_role(token: Token) -> bool:
    head = token.head.head if token.dep_ == "pobj" else token.head
    return head.lemma_.lower() in lx.ACCUSE_NOUNS | {"accuse", "blame", "warn"}


def _is_based(ent: Span) -> bool:
    doc = ent.doc
    return (
        ent.end + 1 < len(doc) and doc[ent.end].text == "-" and doc[ent.end + 1].lower_ == "based"
    )


def _based_places(root: Token) -> Iterator[Token]:
    """GPE tokens in `X-based` modifiers of the noun phrase holding `root`."""
    noun = root.head if root.dep_ in {"compound", "poss", "appos", "conj"} else root
    while noun.dep_ in {"appos", "conj"}:
        noun = noun.head
    for token in noun.subtree:
        if token.lower_ == "based" and token.i >= 2 and token.nbor(-1).text == "-":
            place = token.nbor(-2)
            if place.ent_type_ == "GPE":
                yield place


def _clause_subject(token: Token) -> Token | None:
    node = token
    for _ in range(6):
        subject = _child(node, {"nsubj", "nsubjpass"})
        if subject is not None:
            return subject
        if node.head is node:
            return None
        node = node.head
    return None


def _bind(cue: Token | None, found: list[_Mention], *, strict: bool = False) -> _Mention | None:
    """Return the mention a cue speaks of: one inside its phrase, else (unless strict) the nearest."""
    if not found:
        return None
    if cue is None:
        return found[0] if len(found) == 1 and not strict else None
    subtree = {t.i for t in cue.subtree}
    inside = [m for m in found if m.token.i in subtree or m.token.i == cue.i]
    if inside:
        return min(inside, key=lambda m: abs(m.token.i - cue.i))
    if strict:
        return None
    return min(found, key=lambda m: abs(m.token.i - cue.i))


def _location(place: Place | None, places: PlaceIndex) -> Location:
    if place is None:
        return Location()
    return Location(
        place=place.name if place.kind == "city" else None,
        admin1=place.admin1 if place.kind == "admin1" else None,
        country=place.country,
        latitude=place.latitude,
        longitude=place.longitude,
        precision={"city": "place", "admin1": "admin1"}.get(place.kind, "country"),
    )


__all__ = ["EXTRACTOR", "ActorRef", "DocumentReader"]
