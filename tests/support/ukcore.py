"""Checks derived from the UK Core StructureDefinitions vendored in `tests/fhir/ukcore` (see its README).

No FHIR validator runs offline in Python, so this reads what a profile says about each element it
constrains (its snapshot, else its differential) and checks an instance against it:
- `min` >= 1: the element is there, in each parent that is there;
- `max`: no more than that many (so "1" means never a list of two or more);
- `fixed[x]` (equal) and `pattern[x]` (holds at least what the pattern says);
- slices: an element is in a slice when its discriminator (`value` or `pattern` on a path) holds the
  slice's fixed or pattern value there, or, for an extension, when its `url` is the slice's extension;
  the rules above then apply to the slice's members. A slice the caller relies on (`slices`) must
  have a member, so an NHS number under another system is reported rather than silently outside the
  `nhsNumber` slice;
- the resource is of the profile's type and claims it in `meta.profile`.

Not checked: terminology bindings (no value sets here, no terminology server); invariants (the
FHIR core ones the models miss are evaluated with fhirpathpy in tests/review/test_fhir.py); element
types and the profiles they name (an extension against its own definition, a reference's target);
mustSupport (a promise about systems, not a rule on instances); extensions on primitive values (in
`_name`); and discriminators of other kinds (`type`, `profile`, `exists`), which raise rather than
pass. The vendored definitions are differentials: what UK Core adds. The base R4 cardinalities and
types are fhir.resources' to check, and the tests parse every export with it too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Iterable, Optional

from bot.settings import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "tests" / "fhir" / "ukcore"
_EXTENSIONS = ("extension", "modifierExtension")


@lru_cache(maxsize=1)
def definitions() -> dict[str, dict[str, Any]]:
    """The vendored StructureDefinitions by canonical URL."""
    found = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FOLDER.glob("StructureDefinition-*.json"))]
    return {definition["url"]: definition for definition in found}


def check(resource: dict[str, Any], definition: dict[str, Any], slices: Iterable[str] = ()) -> list[str]:
    """What in `resource` breaks the profile `definition` (empty when nothing does); each element of
    `slices` (an element id such as "Patient.identifier:nhsNumber") must have a member."""
    elements = {e["id"]: e for e in (definition.get("snapshot") or definition["differential"])["element"]}
    problems = []
    if resource.get("resourceType") != definition["type"]:
        problems.append(f"a {resource.get('resourceType')} is not a {definition['type']}")
    if definition["url"] not in (resource.get("meta") or {}).get("profile", []):
        problems.append(f"meta.profile does not claim {definition['url']}")
    for element_id, element in elements.items():
        if "." not in element_id:
            continue
        parent_id, segment = element_id.rsplit(".", 1)
        least, most, rule = element.get("min", 0), element.get("max", "*"), _rule(element)
        for parent in _select(resource, elements, parent_id):
            found = _step(parent, parent_id, segment, elements)
            if len(found) < least:
                problems.append(f"{element_id}: {len(found)} found, at least {least} required")
            if most != "*" and len(found) > int(most):
                problems.append(f"{element_id}: {len(found)} found, at most {most} allowed")
            if rule:
                problems += [f"{element_id}: not {rule[0]} {rule[1]!r}" for value in found if not _holds(value, *rule)]
    for slice_id in slices:
        if not _select(resource, elements, slice_id):
            problems.append(f"{slice_id}: none held ({_membership(slice_id, elements)})")
    return problems


def _rule(element: dict[str, Any]) -> Optional[tuple[str, Any]]:
    """The element's fixed[x] or pattern[x], as ("fixed" or "pattern", value)."""
    for key, value in element.items():
        for kind in ("fixed", "pattern"):
            if key.startswith(kind) and key[len(kind) :][:1].isupper():
                return kind, value
    return None


def _holds(value: Any, kind: str, expected: Any) -> bool:
    if kind == "fixed":
        return bool(value == expected)
    if isinstance(expected, dict):
        return isinstance(value, dict) and all(_holds(value.get(k), kind, v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(value, list) and all(any(_holds(v, kind, e) for v in value) for e in expected)
    return bool(value == expected)


def _children(node: Any, name: str) -> list[Any]:
    """The values of `name` in `node` (each repetition on its own; `value[x]` is any valueInteger, ...)."""
    if not isinstance(node, dict):
        return []  # a primitive: its extensions would be in `_name`, which this does not read
    if name.endswith("[x]"):
        stem = name[:-3]
        values = [v for k, v in node.items() if k.startswith(stem) and k[len(stem) :][:1].isupper()]
    else:
        values = [node[name]] if name in node else []
    return [item for value in values for item in (value if isinstance(value, list) else [value])]


def _at(node: Any, path: str) -> list[Any]:
    """The values at a dotted path below `node` ("$this" is the node)."""
    found = [node]
    for name in [] if path == "$this" else path.split("."):
        found = [child for parent in found for child in _children(parent, name)]
    return found


def _select(resource: dict[str, Any], elements: dict[str, dict[str, Any]], element_id: str) -> list[Any]:
    """Everything in `resource` the element `element_id` describes."""
    if "." not in element_id:
        return [resource]
    parent_id, segment = element_id.rsplit(".", 1)
    return [
        node
        for parent in _select(resource, elements, parent_id)
        for node in _step(parent, parent_id, segment, elements)
    ]


def _step(parent: Any, parent_id: str, segment: str, elements: dict[str, dict[str, Any]]) -> list[Any]:
    """The children of `parent` that `segment` ("identifier", or "identifier:nhsNumber" for a slice) names."""
    name, _, slice_name = segment.partition(":")
    found = _children(parent, name)
    if not slice_name:
        return found
    return [node for node in found if _is_member(node, f"{parent_id}.{segment}", elements)]


def _discriminators(slice_id: str, elements: dict[str, dict[str, Any]]) -> list[tuple[str, str, Any]]:
    """What puts an element in the slice, as (path, "fixed" or "pattern", value) each to hold."""
    sliced_id, _, slice_name = slice_id.rpartition(":")
    if sliced_id.rsplit(".", 1)[1] in _EXTENSIONS:  # sliced by url, whether or not the profile says so
        profiles = [p for t in elements[slice_id].get("type", []) for p in t.get("profile", [])]
        return [("url", "fixed", profiles[0] if profiles else slice_name)]
    wanted = []
    for discriminator in elements[sliced_id]["slicing"]["discriminator"]:
        path = discriminator["path"]
        rule = _rule(elements[slice_id if path == "$this" else f"{slice_id}.{path}"])
        if discriminator["type"] not in ("value", "pattern") or rule is None:
            raise ValueError(f"{slice_id}: cannot tell a member of this slice by {discriminator}")
        wanted.append((path, *rule))
    return wanted


def _is_member(node: Any, slice_id: str, elements: dict[str, dict[str, Any]]) -> bool:
    return all(
        any(_holds(value, kind, expected) for value in _at(node, path))
        for path, kind, expected in _discriminators(slice_id, elements)
    )


def _membership(slice_id: str, elements: dict[str, dict[str, Any]]) -> str:
    """What a member of the slice holds, in words."""
    return " and ".join(
        f"{path} {'=' if kind == 'fixed' else 'matching'} {expected!r}"
        for path, kind, expected in _discriminators(slice_id, elements)
    )
