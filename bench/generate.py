"""A deterministic, seeded generator of synthetic memorial archives in the authoring format.

    python -m bench.generate --claims 100000 --out bench/work/archive-100000

writes a project folder (data/, plus copies of ontology/ and queries/) that
`memorial-graph --project DIR build` builds like the real collection: victims with names in
Azerbaijani, English and Russian, birth dates and places, family links, the events they were
victims of, monuments and their makers, and sources (lists, articles, testimonies) cited with
paragraph locators; some claims have two sources, and some sources disagree on a birth year
or on a casualty figure. Everything is invented; nothing is real.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GIVEN_M = ["Əli", "Elçin", "Rəşad", "Tural", "Zaur", "Nicat", "Fərid", "Orxan", "Vüqar", "Elvin",
           "Kamran", "Səməd", "Şahin", "Ramil", "Qasım", "Emin", "Fuad", "Cavid", "Xaqani", "İlqar"]
GIVEN_F = ["Aynur", "Günel", "Sevinc", "Xədicə", "Leyla", "Aygün", "Səbinə", "Nərmin", "Lalə",
           "Ülviyyə", "Şəbnəm", "Könül", "Gülnar", "İradə", "Zəhra", "Mehriban", "Fidan", "Nigar"]
SURNAMES = ["Məmmədov", "Əliyev", "Həsənov", "Quliyev", "Hüseynov", "İsmayılov", "Abbasov",
            "Cəfərov", "Rzayev", "Nəbiyev", "Qasımov", "Kərimov", "Babayev", "Orucov", "Şükürov",
            "Vəliyev", "Sadıqov", "Əhmədov", "Bağırov", "Xəlilov"]
PLACE_ROOTS = ["Qara", "Ağ", "Yeni", "Köhnə", "Böyük", "Kiçik", "Yuxarı", "Aşağı", "Daş", "Çay"]
PLACE_ENDS = ["kənd", "bulaq", "düz", "təpə", "yurd", "dərə", "oba", "qala", "çinar", "səki"]

TO_EN = str.maketrans({"Ə": "A", "ə": "a", "Ç": "Ch", "ç": "ch", "Ş": "Sh", "ş": "sh",
                       "Ğ": "Gh", "ğ": "gh", "I": "I", "ı": "i", "İ": "I", "Ö": "O", "ö": "o",
                       "Ü": "U", "ü": "u", "X": "Kh", "x": "kh", "Q": "G", "q": "g", "C": "J",
                       "c": "j"})
TO_RU = {"a": "а", "b": "б", "c": "дж", "ç": "ч", "d": "д", "e": "е", "ə": "я", "f": "ф",
         "g": "г", "ğ": "г", "h": "х", "x": "х", "ı": "ы", "i": "и", "j": "ж", "k": "к",
         "q": "г", "l": "л", "m": "м", "n": "н", "o": "о", "ö": "ё", "p": "п", "r": "р",
         "s": "с", "ş": "ш", "t": "т", "u": "у", "ü": "ю", "v": "в", "y": "й", "z": "з"}


def en(name: str) -> str:
    return name.translate(TO_EN)


def ru(name: str) -> str:
    out = []
    for ch in name:
        low = ch.lower()
        mapped = TO_RU.get(low, TO_RU.get(low.replace("i̇", "i"), ch))
        out.append(mapped.capitalize() if ch.isupper() else mapped)
    return "".join(out)


class Archive:
    def __init__(self, claims: int, seed: int):
        self.target = claims
        self.rng = random.Random(seed)
        self.claims = 0
        self.counter = 0
        self.sources: list[dict] = []
        self.entities: list[dict] = []

    def ident(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter:07x}"

    def cite(self, k: int | None = None) -> list[dict]:
        k = k or (2 if self.rng.random() < 0.3 else 1)
        chosen = self.rng.sample(self.sources, k)
        return [{"source": s["id"], "paragraph": self.rng.randint(1, s["paragraphs"])}
                for s in chosen]

    def claim(self, subject: dict, prop: str, sources=None, **value) -> dict:
        self.claims += 1
        record = {"id": self.ident("c"), "property": prop, **value,
                  "sources": sources or self.cite()}
        subject["claims"].append(record)
        return record

    def entity(self, kind: str, names: dict[str, str]) -> dict:
        ent = {"id": self.ident("e"), "type": kind, "claims": []}
        first = self.cite(1)
        for lang, name in names.items():
            self.claim(ent, "skos:prefLabel", first, name=name, lang=lang)
        self.entities.append(ent)
        return ent

    def build(self) -> None:
        rng = self.rng
        kinds = ["List", "Article", "Testimony"]
        for i in range(max(6, self.target // 400)):
            kind = kinds[i % 3]
            self.sources.append({
                "id": self.ident("s"), "type": kind,
                "title": f"Synthetic {kind.lower()} number {i + 1}",
                "identifier": f"synthetic-archive/{kind.lower()}/{i + 1}",
                "language": rng.choice(["az", "en", "ru"]),
                "published": f"{rng.randint(1993, 2025)}-{rng.randint(1, 12):02d}",
                "paragraphs": rng.randint(20, 400) if kind == "List" else rng.randint(5, 40),
            })
        country = self.entity("Country", {"en": "Azerbaijan", "az": "Azərbaycan", "ru": "Азербайджан"})
        places = []
        for i in range(max(10, self.target // 2000)):
            name = f"{rng.choice(PLACE_ROOTS)}{rng.choice(PLACE_ENDS)} {i + 1}"
            place = self.entity("Settlement", {"az": name, "en": en(name), "ru": ru(name)})
            self.claim(place, "crm:P89_falls_within", entity=country["id"])
            if rng.random() < 0.2:
                self.claim(place, "skos:altLabel", name=f"{en(name)} (former name)", lang="en",
                           valid_during=f"{rng.randint(1920, 1990)}/{rng.randint(1991, 2000)}")
            places.append(place)
        events = []
        for i in range(3):
            day = 25 + i % 2
            event = self.entity("Event", {"en": f"Synthetic attack {i + 1}",
                                          "az": f"Sintetik hücum {i + 1}"})
            self.claim(event, "crm:P4_has_time-span", when=f"1992-02-{day:02d}")
            self.claim(event, "crm:P7_took_place_at", entity=rng.choice(places)["id"])
            base = rng.randint(200, 900)
            for src in rng.sample(self.sources, 3):       # sources disagree on the figure
                self.claim(event, "mg:numberKilled", count=base + rng.randint(-20, 20),
                           sources=[{"source": src["id"], "paragraph": 1}])
            events.append(event)
        for i in range(max(1, self.target // 50_000)):
            monument = self.entity("Monument", {"en": f"Synthetic memorial {i + 1}",
                                                "az": f"Sintetik abidə {i + 1}"})
            self.claim(monument, "mg:commemorates", entity=events[i % 3]["id"])
            self.claim(monument, "crm:P53_has_former_or_current_location",
                       entity=rng.choice(places)["id"])
            self.claim(monument, "mg:height", quantity=rng.randint(3, 15), unit="metre",
                       approximate=True)
            for _ in range(2):
                given, surname = rng.choice(GIVEN_M), rng.choice(SURNAMES)
                maker = self.entity("Person", {"az": f"{given} {surname}",
                                               "en": f"{en(given)} {en(surname)}"})
                self.claim(monument, "schema:creator", entity=maker["id"])
        previous = None
        while self.claims < self.target:
            female = rng.random() < 0.5
            given = rng.choice(GIVEN_F if female else GIVEN_M)
            surname = rng.choice(SURNAMES) + ("a" if female else "")
            az = f"{given} {surname}"
            person = self.entity("Person", {"az": az, "en": en(az), "ru": ru(az)})
            year = rng.randint(1910, 1991)
            self.claim(person, "mg:birth", when=f"{year}" if rng.random() < 0.4
                       else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            if rng.random() < 0.05:                        # a second source gives another year
                self.claim(person, "mg:birth", when=f"{year + rng.choice([-1, 1])}",
                           sources=self.cite(1))
            event = rng.choice(events)
            self.claim(person, "mg:death", when="1992-02-25/1992-02-26")
            self.claim(person, "mg:birthPlace", entity=rng.choice(places)["id"])
            self.claim(person, "mg:victimOf", entity=event["id"])
            if previous is not None and rng.random() < 0.3:
                self.claim(person, "schema:sibling", entity=previous["id"])
            previous = person


def write(archive: Archive, out: Path, claims: int, seed: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "entities").mkdir(parents=True)
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, out / name)
    (out / "data" / "collection.yaml").write_text(
        f"title: Synthetic memorial archive ({claims:,} claims, seed {seed})\n"
        "description: Invented people, places, events and sources for benchmarking.\n"
        "license: https://creativecommons.org/publicdomain/zero/1.0/\n"
        "publisher: memorial-graph benchmark\n", encoding="utf-8")
    with (out / "data" / "sources.jsonl").open("w", encoding="utf-8") as f:
        for source in archive.sources:
            f.write(json.dumps({"sources": [source]}, ensure_ascii=False) + "\n")
    per_file = 20_000
    for start in range(0, len(archive.entities), per_file):
        path = out / "data" / "entities" / f"part-{start // per_file:04d}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for ent in archive.entities[start:start + per_file]:
                f.write(json.dumps({"entities": [ent]}, ensure_ascii=False,
                                   separators=(",", ":")) + "\n")


def generate(out: Path, claims: int, seed: int = 1992) -> dict:
    archive = Archive(claims, seed)
    archive.build()
    write(archive, Path(out), claims, seed)
    return {"claims": archive.claims, "entities": len(archive.entities),
            "sources": len(archive.sources)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1992)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.claims, args.seed)))


if __name__ == "__main__":
    main()
