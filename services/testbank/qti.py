"""IMS QTI 2.1 items, both ways: choice (single, multiple, true/false), order, match and text entry
(short answer, numeric with tolerance), packaged as an IMS content package (zip with imsmanifest.xml).

Competence, difficulty and tags travel in the manifest's LOM metadata (classification, educational
difficulty, keywords), as QTI packages carry them; a bare item XML holds only the question and its key.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from .domain import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    ORDERING,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    AcceptedText,
    ItemDraft,
    NumericAnswer,
    OptionDraft,
    prepare,
    targets_of,
    validate_item,
)

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
Q = f"{{{NS}}}"
ET.register_namespace("", NS)
MAP_RESPONSE = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"
MATCH_CORRECT = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"
DIFFICULTY = ["very easy", "easy", "medium", "difficult", "very difficult"]
_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")


@dataclass
class QtiError:
    item_id: str
    reason: str


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, Q + tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _num(x: float) -> str:
    return f"{x:.15g}"


def _choices(parent: ET.Element, options: list[OptionDraft], tag: str = "simpleChoice") -> None:
    for o in options:
        choice = _sub(parent, tag, o.text, identifier=o.id)
        if o.feedback:
            _sub(choice, "feedbackInline", o.feedback, outcomeIdentifier="FEEDBACK", identifier=o.id, showHide="show")


def write_item(item: ItemDraft, identifier: str) -> str:
    """One assessmentItem as XML text."""
    root = ET.Element(Q + "assessmentItem", {
        "identifier": identifier, "title": item.external_id or identifier, "adaptive": "false",
        "timeDependent": "false"})
    kind = item.type
    cardinality, base = {
        SINGLE_CHOICE: ("single", "identifier"), TRUE_FALSE: ("single", "identifier"),
        MULTIPLE_CHOICE: ("multiple", "identifier"), ORDERING: ("ordered", "identifier"),
        MATCHING: ("multiple", "directedPair"), SHORT_ANSWER: ("single", "string"), NUMERIC: ("single", "float"),
    }[kind]
    decl = _sub(root, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType=base)
    correct = _sub(decl, "correctResponse")
    if kind in (SINGLE_CHOICE, TRUE_FALSE, MULTIPLE_CHOICE):
        for o in item.options:
            if o.weight > 0 if kind == MULTIPLE_CHOICE else abs(o.weight - 1) < 1e-9:
                _sub(correct, "value", o.id)
        mapping = _sub(decl, "mapping", defaultValue="0", lowerBound="0")
        for o in item.options:
            _sub(mapping, "mapEntry", mapKey=o.id, mappedValue=_num(o.weight))
    elif kind == ORDERING:
        for o in item.options:
            _sub(correct, "value", o.id)
    elif kind == MATCHING:
        targets = {t.text: t.id for t in targets_of(item)}
        for o in item.options:
            _sub(correct, "value", f"{o.id} {targets[o.target]}")
    elif kind == SHORT_ANSWER:
        _sub(correct, "value", next(a.text for a in item.accepted if a.weight >= 1))
        mapping = _sub(decl, "mapping", defaultValue="0")
        for a in item.accepted:
            _sub(mapping, "mapEntry", mapKey=a.text, mappedValue=_num(a.weight), caseSensitive="false")
    else:
        _sub(correct, "value", _num(next(a.value for a in item.numeric if a.weight >= 1)))
    _sub(root, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    maxscore = _sub(root, "outcomeDeclaration", identifier="MAXSCORE", cardinality="single", baseType="float")
    _sub(_sub(maxscore, "defaultValue"), "value", _num(item.points))
    _sub(root, "outcomeDeclaration", identifier="FEEDBACK", cardinality="multiple", baseType="identifier")
    body = _sub(root, "itemBody")
    _sub(body, "div", item.text, class_="stem")
    if kind in (SINGLE_CHOICE, TRUE_FALSE, MULTIPLE_CHOICE):
        interaction = _sub(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false",
                           maxChoices="1" if kind != MULTIPLE_CHOICE else "0")
        _choices(interaction, item.options)
    elif kind == ORDERING:
        _choices(_sub(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true"), item.options)
    elif kind == MATCHING:
        interaction = _sub(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="true",
                           maxAssociations=str(len(item.options)))
        left = _sub(interaction, "simpleMatchSet")
        for o in item.options:
            _sub(left, "simpleAssociableChoice", o.text, identifier=o.id, matchMax="1")
        right = _sub(interaction, "simpleMatchSet")
        for t in targets_of(item):
            _sub(right, "simpleAssociableChoice", t.text, identifier=t.id, matchMax="0")
    else:
        _sub(_sub(body, "p"), "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="20")
    if kind in (NUMERIC, SHORT_ANSWER):
        # One branch per accepted answer: its credit, and the feedback it shows (modalFeedback F<n>).
        processing = _sub(root, "responseProcessing")
        condition = _sub(processing, "responseCondition")
        answers = item.numeric if kind == NUMERIC else item.accepted
        for n, a in enumerate(answers):
            branch = _sub(condition, "responseIf" if n == 0 else "responseElseIf")
            if kind == NUMERIC:
                test = _sub(branch, "equal", toleranceMode="absolute",
                            tolerance=f"{_num(a.tolerance)} {_num(a.tolerance)}")
                _sub(test, "variable", identifier="RESPONSE")
                _sub(test, "baseValue", _num(a.value), baseType="float")
            else:
                test = _sub(branch, "stringMatch", caseSensitive="false")
                _sub(test, "variable", identifier="RESPONSE")
                _sub(test, "baseValue", a.text, baseType="string")
            _sub(_sub(branch, "setOutcomeValue", identifier="SCORE"), "baseValue", _num(a.weight), baseType="float")
            if a.feedback:
                _sub(_sub(branch, "setOutcomeValue", identifier="FEEDBACK"), "baseValue", f"F{n}",
                     baseType="identifier")
        for n, a in enumerate(answers):
            if a.feedback:
                _sub(root, "modalFeedback", a.feedback, outcomeIdentifier="FEEDBACK", identifier=f"F{n}",
                     showHide="show")
    else:
        _sub(root, "responseProcessing", template=MATCH_CORRECT if kind in (ORDERING, MATCHING) else MAP_RESPONSE)
    if item.general_feedback:
        _sub(root, "modalFeedback", item.general_feedback, outcomeIdentifier="FEEDBACK", identifier="GENERAL",
             showHide="hide")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=False)


def _text(el: ET.Element | None) -> str:
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if child.tag != Q + "feedbackInline" and not child.tag.endswith("Interaction"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def read_item(xml: str | bytes) -> ItemDraft:
    """One assessmentItem; raises ValueError with the reason when it is not one this bank can hold."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    if root.tag != Q + "assessmentItem":
        raise ValueError(f"expected a QTI 2.1 assessmentItem, found <{root.tag.split('}')[-1]}>")
    decl = root.find(Q + "responseDeclaration")
    body = root.find(Q + "itemBody")
    if decl is None or body is None:
        raise ValueError("an item needs a responseDeclaration and an itemBody")
    correct = [v.text or "" for v in decl.findall(f"{Q}correctResponse/{Q}value")]
    mapping = {e.get("mapKey", ""): float(e.get("mappedValue", "0")) for e in decl.findall(f"{Q}mapping/{Q}mapEntry")}
    stem_parts = [_text(el) for el in body if not el.tag.endswith("Interaction")]
    interactions = [el for el in body.iter() if el.tag.endswith("Interaction")]
    if len(interactions) != 1:
        raise ValueError(f"an item needs exactly one interaction, found {len(interactions)}")
    interaction = interactions[0]
    prompt = interaction.find(Q + "prompt")
    stem = "\n".join(p for p in stem_parts + [_text(prompt)] if p)
    kind = interaction.tag[len(Q):]
    title, identifier = root.get("title", ""), root.get("identifier", "")
    generated = title == identifier and identifier.startswith("item-")  # we wrote it: the item had no title
    item = ItemDraft(SINGLE_CHOICE, stem, external_id="" if generated else title or identifier)
    maxscore = root.find(f"{Q}outcomeDeclaration[@identifier='MAXSCORE']/{Q}defaultValue/{Q}value")
    if maxscore is not None and maxscore.text:
        item.points = float(maxscore.text)
    feedbacks = {f.get("identifier", ""): _text(f) for f in root.findall(Q + "modalFeedback")}
    item.general_feedback = feedbacks.get("GENERAL", "")

    def options(tag: str = "simpleChoice", parent: ET.Element = interaction) -> list[OptionDraft]:
        out = []
        for c in parent.findall(Q + tag):
            fb = c.find(Q + "feedbackInline")
            out.append(OptionDraft(_text(c), id=c.get("identifier", ""), feedback=_text(fb) if fb is not None else ""))
        return out

    if kind == "choiceInteraction":
        item.options = options()
        single = interaction.get("maxChoices", "1") == "1"
        for o in item.options:
            o.weight = mapping.get(o.id, 1.0 if o.id in correct else 0.0) if mapping else float(o.id in correct)
        ids = sorted(o.id for o in item.options)
        item.type = TRUE_FALSE if single and ids == ["false", "true"] else SINGLE_CHOICE if single else MULTIPLE_CHOICE
        if item.type == MULTIPLE_CHOICE and not mapping and correct:
            for o in item.options:  # without a mapping every right choice shares the credit
                o.weight = 1 / len(correct) if o.id in correct else 0.0
    elif kind == "orderInteraction":
        by_id = {o.id: o for o in options()}
        if sorted(correct) != sorted(by_id):
            raise ValueError("the correct order must list every choice exactly once")
        item.type, item.options = ORDERING, [by_id[i] for i in correct]
    elif kind == "matchInteraction":
        sets = interaction.findall(Q + "simpleMatchSet")
        if len(sets) != 2:
            raise ValueError("a match interaction needs two simpleMatchSets")
        left, right = options("simpleAssociableChoice", sets[0]), options("simpleAssociableChoice", sets[1])
        targets = {t.id: t.text for t in right}
        pairs = dict(v.split() for v in correct if len(v.split()) == 2)
        for o in left:
            o.target = targets.get(pairs.get(o.id, ""), "")
        item.type, item.options = MATCHING, left
        item.extra_targets = [t for i, t in targets.items() if i not in pairs.values()]
    elif kind == "textEntryInteraction":
        numeric = decl.get("baseType") in ("float", "integer")
        item.type = NUMERIC if numeric else SHORT_ANSWER
        for branch in root.iter():
            if branch.tag not in (Q + "responseIf", Q + "responseElseIf"):
                continue
            test = branch.find(Q + ("equal" if numeric else "stringMatch"))
            base = test.find(Q + "baseValue") if test is not None else None
            if base is None:
                continue
            score = branch.find(f"{Q}setOutcomeValue[@identifier='SCORE']/{Q}baseValue")
            weight = float(score.text) if score is not None and score.text else 1.0
            shown = branch.find(f"{Q}setOutcomeValue[@identifier='FEEDBACK']/{Q}baseValue")
            feedback = feedbacks.get(shown.text or "", "") if shown is not None else ""
            if numeric:
                tolerance = float((test.get("tolerance") or "0").split()[0])
                item.numeric.append(NumericAnswer(float(base.text or "0"), tolerance, weight, feedback))
            else:
                item.accepted.append(AcceptedText(base.text or "", weight, feedback))
        if numeric and not item.numeric and correct:
            item.numeric = [NumericAnswer(float(correct[0]))]
        if not numeric and not item.accepted:
            item.accepted = [AcceptedText(k, w) for k, w in mapping.items()] or [AcceptedText(c) for c in correct]
    else:
        raise ValueError(f"{kind} is not supported: this bank holds choice, order, match and text entry")
    return item


# --- packages --------------------------------------------------------------------------------------
def _identifier(item_id: str, item: ItemDraft) -> str:
    return item.external_id if _NCNAME.match(item.external_id or "") else f"item-{item_id}"


def package(items: dict[str, ItemDraft]) -> tuple[bytes, list[tuple[ItemDraft, str]]]:
    """A content package (zip): imsmanifest.xml with LOM metadata per item, items/<identifier>.xml."""
    ET.register_namespace("imscp", CP)
    ET.register_namespace("lom", LOM)
    manifest = ET.Element(f"{{{CP}}}manifest", {"identifier": "gramota-export"})
    ET.SubElement(manifest, f"{{{CP}}}organizations")
    resources = ET.SubElement(manifest, f"{{{CP}}}resources")
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for item_id, item in items.items():
            ident = _identifier(item_id, item)
            if ident in used:
                ident = f"item-{item_id}"
            used.add(ident)
            href = f"items/{ident}.xml"
            zf.writestr(href, '<?xml version="1.0" encoding="UTF-8"?>\n' + write_item(item, ident))
            res = ET.SubElement(resources, f"{{{CP}}}resource",
                                {"identifier": ident, "type": "imsqti_item_xmlv2p1", "href": href})
            lom = ET.SubElement(ET.SubElement(res, f"{{{CP}}}metadata"), f"{{{LOM}}}lom")
            general = ET.SubElement(lom, f"{{{LOM}}}general")
            for tag in item.tags:
                ET.SubElement(ET.SubElement(general, f"{{{LOM}}}keyword"), f"{{{LOM}}}string").text = tag
            educational = ET.SubElement(lom, f"{{{LOM}}}educational")
            ET.SubElement(ET.SubElement(educational, f"{{{LOM}}}difficulty"), f"{{{LOM}}}value").text = \
                DIFFICULTY[item.difficulty - 1]
            if item.competence:
                taxon = ET.SubElement(ET.SubElement(ET.SubElement(lom, f"{{{LOM}}}classification"),
                                                    f"{{{LOM}}}taxonPath"), f"{{{LOM}}}taxon")
                ET.SubElement(taxon, f"{{{LOM}}}id").text = item.competence
            ET.SubElement(res, f"{{{CP}}}file", {"href": href})
        ET.indent(manifest)
        zf.writestr("imsmanifest.xml", '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(manifest, "unicode"))
    return buffer.getvalue(), []


def _metadata(resource: ET.Element) -> dict:
    meta: dict = {"tags": [t.text or "" for t in resource.iter(f"{{{LOM}}}string")
                           if t is not None]}
    difficulty = resource.find(f".//{{{LOM}}}difficulty/{{{LOM}}}value")
    if difficulty is not None and difficulty.text in DIFFICULTY:
        meta["difficulty"] = DIFFICULTY.index(difficulty.text) + 1
    taxon = resource.find(f".//{{{LOM}}}taxon/{{{LOM}}}id")
    if taxon is not None and taxon.text:
        meta["competence"] = taxon.text.strip()
    return meta


def read(data: bytes, competences: set[str] | None = None) -> tuple[list[ItemDraft], list[QtiError]]:
    """Items from a content package (zip) or one item XML; each rejected item with its identifier and why."""
    entries: list[tuple[str, bytes, dict]] = []
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "imsmanifest.xml" in names:
                manifest = ET.fromstring(zf.read("imsmanifest.xml"))
                for res in manifest.iter(f"{{{CP}}}resource"):
                    href = res.get("href", "")
                    if res.get("type", "").startswith("imsqti_item") and href in names:
                        entries.append((res.get("identifier", href), zf.read(href), _metadata(res)))
            else:
                entries = [(n, zf.read(n), {}) for n in sorted(names) if n.endswith(".xml")]
    else:
        entries = [("", data, {})]
    items: list[ItemDraft] = []
    errors: list[QtiError] = []
    for ident, xml, meta in entries:
        try:
            item = read_item(xml)
        except ValueError as exc:
            errors.append(QtiError(ident or "item", str(exc)))
            continue
        ident = ident or item.external_id
        item.tags = meta.get("tags", [])
        item.difficulty = meta.get("difficulty", 3)
        item.competence = meta.get("competence", "")
        prepare(item)
        problems = validate_item(item, competences)
        if problems:
            errors.append(QtiError(ident, "; ".join(problems)))
            continue
        items.append(item)
    return items, errors
