"""Texts several exercises share: the four dimensions of chain governance, the chapters the
feedback points to, and De Caluwé and Vermaak's colours."""

from __future__ import annotations

#: The four dimensions of chain governance with their guiding question and two pillars.
DIMENSIONS: dict[str, dict[str, object]] = {
    "cultureel": {
        "naam": "Cultureel",
        "vraag": "wil of weerstand?",
        "pijlers": ("mindset gericht op ketensamenwerking", "doelgebonden speelruimte"),
    },
    "relationeel": {
        "naam": "Relationeel",
        "vraag": "samen of solo?",
        "pijlers": ("vertrouwen", "organisatieoverschrijdende dialoog"),
    },
    "procedureel": {
        "naam": "Procedureel",
        "vraag": "orde of chaos?",
        "pijlers": ("organisatieoverstijgende ketenstructuur", "transparantie over resultaten"),
    },
    "inhoudelijk": {
        "naam": "Inhoudelijk",
        "vraag": "eens of oneens?",
        "pijlers": ("kennis van de keten", "eenduidige en inspirerende ketendoelstelling"),
    },
}

# Chapter titles as link text (the advice names chapters; it does not need to resolve them).
H1 = "hoofdstuk 1 „Ketens en ketensturing”"
H2 = "hoofdstuk 2 „Weerstand bij opgelegde samenwerking”"
H3 = "hoofdstuk 3 „Liever solo dan samen: denken vanuit de keten”"
H4 = "hoofdstuk 4 „Het ketendoel in beeld: de zaak als meeteenheid”"
H5 = "hoofdstuk 5 „Olifantenpaadjes: ongeschreven gewoontes”"
H6 = "hoofdstuk 6 „Onder één dak”"
H7 = "hoofdstuk 7 „Aan de slag: een aanpak voor je eigen keten”"

#: De Caluwé & Vermaak's colours (Leren veranderen, 2006), as the course uses them.
COLOURS: dict[str, str] = {
    "geel": "geel – belangen, macht en onderhandelen",
    "blauw": "blauw – plannen, regels en meten",
    "rood": "rood – mensen, motivatie en verbinding",
    "groen": "groen – samen leren in het werk",
    "wit": "wit – ruimte voor wat uit mensen zelf voortkomt",
}
