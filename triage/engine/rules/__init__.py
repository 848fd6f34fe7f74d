"""The rules stage: project-written Dutch lexicons and patterns, as data, with scope.

    rules = RuleSet.load()                       # triage/engine/resources/, once
    hits = rules.apply(normalized, doc, recipient="Anna de Vries")

Every hit is a `RuleHit(rule_id, label, start, end, weight, suppressed)` with offsets in the
normalised text (map them back with `normalized.to_original`). `weight` is the rule's confidence
in [0, 1]; a suppressed hit is kept, with why: "negation", "question", "quotation",
"counter_speech", "reporting" or "figurative".

Resource files (triage/engine/resources/): UTF-8, tab-separated, a header row, `#` comments, every
row with a stable id. `rules.version` is a short sha256 over all of them.

- lexicon.tsv   `id term category label also weight aim inflect forms`: one token per row (a
  multi-word form is matched as a phrase). category: insult, dehumanising, slur_ethnicity,
  slur_religion, slur_lgbt, slur_gender, slur_disability, sexual, profanity; label/also: labels
  it implies; aim: `any` or `aimed` (only after jij/vuile/stomme/"wat een"); inflect: `n` noun
  (plurals, diminutives), `a` adjective, `-` as written; forms: extra forms, comma-separated.
  profanity words are intensifiers and become `insult` when aimed at someone ("jij kanker").
- groups.tsv    `id term group forms`: neutral identity words, emitted as `cue:group`.
- roles.tsv     `id term forms`: public roles, emitted as `cue:role` (oud-/loco-/ex- allowed).
- compounds.tsv `id part form labels weight needs_group fallback`: productive compounds inside a
  token: prefixes (kanker-, tyfus-, tering-, kut-), heads (-lijer, -wijf, -hoer; -tuig only after
  an identity word) and person nouns (kankervent).
- macros.tsv    `name regex`: named building blocks, used as `{NAME}`; `{ROLE}` and `{GROUP}` are
  built from roles.tsv and groups.tsv.
- patterns.tsv  `id labels weights flags pattern example`: regexes over the normalised text, one
  hit per label; flags `neg_ok` (a negation is part of it), `contact` (address, phone, plate,
  e-mail: weak alone, strong next to a threat), `cased` (match the cased text: postcodes). Each
  `example` must fire its row (tested).
- scope.tsv     `id kind pattern example`: cues that suppress hits (negator, question, speech,
  counter, counter_frame, reporting, figurative, figurative_context) or lower contact data (civil).
"""

from __future__ import annotations

from triage.engine.rules.ruleset import RuleSet
from triage.engine.rules.tsv import RuleResourceError

__all__ = ["RuleResourceError", "RuleSet"]
