"""What a parser cannot read from an agenda's layout, written down once.

Which words name which body, who wrote a listed document, which clause of a
decision recalls, urges or decides what, and which instruments the text
cites.  Each entry names printed words; the extractor finds them in the
source (and fails loudly if they are missing), so every reading still points
to its text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agent:
    """A body or office the document names, found by the words that name it."""

    path: str
    label: str
    office: bool = False


AGENTS: dict[str, Agent] = {
    "wg": Agent("CTOC/COP/WG.4", "Groupe de travail sur la traite des personnes"),
    "bureau": Agent("CTOC/COP/bureau", "Bureau"),
    "secretariat": Agent("CTOC/COP/secretariat", "Secrétariat"),
    "unodc": Agent("UNODC", "Office des Nations Unies contre la drogue et le crime"),
    "icat": Agent("ICAT", "Groupe interinstitutions de coopération contre la traite des personnes"),
    "vienna_forum": Agent(
        "vienna-forum", "Forum de Vienne sur la lutte contre la traite des êtres humains"
    ),
    "un": Agent("UN", "Organisation des Nations Unies"),
    "states": Agent("states", "États"),
    "states_parties": Agent("states-parties", "États parties"),
    "sg": Agent("secretary-general", "Secrétaire général", office=True),
    "ed": Agent("executive-director", "Directeur exécutif", office=True),
}

#: Who wrote or transmitted a listed document, from the words its title opens with.
AUTHORSHIP = [
    ("Note du Secrétariat", "creator", "secretariat"),
    ("Rapport du Secrétariat", "creator", "secretariat"),
    (
        "Rapport du Forum de Vienne sur la lutte contre la traite des êtres humains",
        "creator",
        "vienna_forum",
    ),
    ("transmettant le rapport du Secrétaire général", "transmits", "sg"),
    ("transmettant le rapport du Directeur exécutif", "transmits", "ed"),
]


@dataclass(frozen=True)
class Act:
    """One clause of a decision, as the annotations report it."""

    type: str  # local name of a ctoc:ActType
    first: str  # printed words the clause opens with
    last: str  # printed words it closes with
    addressee: str | None = None
    concerns: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    establishes: str | None = None
    due_at: int | None = None
    mandate: bool = False


DECISION_ACTS: list[Act] = [
    Act(
        "Recalled",
        "rappelé la Convention",
        "autres instruments internationaux pertinents",
        concerns=("untoc", "tip"),
    ),
    Act("Stressed", "souligné la nécessité", "internationaux adaptés"),
    Act("Affirmed", "affirmé que son but principal", "lutte contre la traite des personnes"),
    Act(
        "Urged",
        "exhorté les États à continuer",
        "lutter contre la traite des êtres humains",
        addressee="states",
        concerns=("tip",),
    ),
    Act(
        "Decided",
        "décidé, conformément au paragraphe 3",
        "en ce qui concerne le Protocole relatif à la traite des personnes",
        legal_basis=("untoc-32-3", "rop-2-2"),
        establishes="wg",
        concerns=("tip",),
    ),
    Act(
        "Decided",
        "décidé que le groupe de travail se réunirait",
        "avant cette session",
        addressee="wg",
        due_at=5,
    ),
    Act(
        "Decided",
        "décidé que le président du groupe de travail",
        "activités de ce dernier",
        addressee="wg",
    ),
    Act(
        "Decided",
        "qu'elle ferait le point de son efficacité",
        "en 2012",
        concerns=("wg",),
        due_at=6,
    ),
    Act(
        "Decided",
        "décidé que le Groupe de travail devrait:",
        "devrait:",
        addressee="wg",
        mandate=True,
    ),
    Act("Recognized", "reconnu que le Protocole", "lutter contre la traite des personnes"),
    Act("Affirmed", "affirmé qu'elle devrait être", "dans ce domaine"),
    Act(
        "Urged",
        "exhorté les États parties",
        "enquêtes sur la traite des personnes",
        addressee="states_parties",
    ),
    Act(
        "Decided",
        "décidé que le Groupe de travail devrait lui faire",
        "Protocole relatif à la traite des personnes",
        addressee="wg",
        concerns=("tip",),
    ),
    Act(
        "Requested",
        "prié le Secrétariat",
        "Protocole relatif à la traite des personnes",
        addressee="secretariat",
        concerns=("unodc", "icat", "tip"),
    ),
]


#: key -> (IRI slug, class, French name as printed, printed short names, English name if printed)
INSTRUMENTS: dict[str, tuple[str, str, str, tuple[str, ...], str | None]] = {
    "untoc": (
        "UNTOC",
        "Convention",
        "Convention des Nations Unies contre la criminalité transnationale organisée",
        ("Convention contre la criminalité organisée",),
        "United Nations Convention against Transnational Organized Crime",
    ),
    "tip": (
        "UNTOC/trafficking-in-persons-protocol",
        "Protocol",
        "Protocole visant à prévenir, réprimer et punir la traite des personnes, en "
        "particulier des femmes et des enfants, additionnel à la Convention des Nations Unies "
        "contre la criminalité transnationale organisée",
        ("Protocole relatif à la traite des personnes",),
        "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women "
        "and Children, supplementing the United Nations Convention against Transnational "
        "Organized Crime",
    ),
    "som": (
        "UNTOC/smuggling-of-migrants-protocol",
        "Protocol",
        "Protocole contre le trafic illicite de migrants par terre, air et mer",
        (),
        None,
    ),
    "rop": ("CTOC/COP/rules-of-procedure", "RulesOfProcedure", "règlement intérieur", (), None),
}
#: key -> (instrument key, article, paragraph, the words that cite it)
PROVISIONS: dict[str, tuple[str, int, int, str]] = {
    "untoc-32-3": ("untoc", 32, 3, "paragraphe 3 de l'article 32 de la Convention"),
    "rop-2-2": ("rop", 2, 2, "paragraphe 2 de l'article 2 de son règlement intérieur"),
}
