# ruff: noqa: RUF001  (Ukrainian letters are meant)
"""What make_demo_data.py adds after the projects are drawn, with its own random numbers (so
the projects themselves do not change): every visible name in Ukrainian and Korean (parties,
contacts, addresses, location descriptions), and for some projects the money down the chain
(contract, payments) and site photos (the PNGs of scripts/make_demo_photos.py)."""

from __future__ import annotations

import random
from typing import Any

Json = dict[str, Any]
PHOTO_BASE = "https://clearsite.example.org/demo/photos/"
PUBLISHERS = {
    "ua": "https://kyivcity.example.org/projects/",
    "kr": "https://seoul.example.org/projects/",
}
# name (as in make_demo_data.py) -> (Ukrainian, Korean)
NAMES = {
    "Department of Transport Infrastructure, Kyiv City State Administration": (
        "Департамент транспортної інфраструктури КМДА",
        "키이우시 행정청 교통기반시설국",
    ),
    "Department of Education and Science, Kyiv City State Administration": (
        "Департамент освіти і науки КМДА",
        "키이우시 행정청 교육과학국",
    ),
    "Department of Health, Kyiv City State Administration": (
        "Департамент охорони здоров'я КМДА",
        "키이우시 행정청 보건국",
    ),
    "Department of Housing and Communal Infrastructure, Kyiv City State Administration": (
        "Департамент житлово-комунальної інфраструктури КМДА",
        "키이우시 행정청 주택공공시설국",
    ),
    "Department of Urban Improvement, Kyiv City State Administration": (
        "Департамент міського благоустрою КМДА",
        "키이우시 행정청 도시환경개선국",
    ),
    "Department of Construction and Housing, Kyiv City State Administration": (
        "Департамент будівництва та житлового забезпечення КМДА",
        "키이우시 행정청 건설주택국",
    ),
    "Infrastructure Headquarters, Seoul Metropolitan Government": (
        "Управління інфраструктури, мерія Сеула",
        "서울특별시 도시기반시설본부",
    ),
    "Seoul Metropolitan Office of Education": ("Управління освіти Сеула", "서울특별시교육청"),
    "Citizens' Health Bureau, Seoul Metropolitan Government": (
        "Бюро здоров'я громадян, мерія Сеула",
        "서울특별시 시민건강국",
    ),
    "Seoul Arisu Headquarters, Seoul Metropolitan Government": (
        "Управління водопостачання «Арісу», мерія Сеула",
        "서울아리수본부",
    ),
    "Water Circulation Safety Bureau, Seoul Metropolitan Government": (
        "Бюро безпеки водообігу, мерія Сеула",
        "서울특별시 물순환안전국",
    ),
    "Green City Bureau, Seoul Metropolitan Government": (
        "Бюро зеленого міста, мерія Сеула",
        "서울특별시 푸른도시국",
    ),
    "Housing Office, Seoul Metropolitan Government": (
        "Житлове управління, мерія Сеула",
        "서울특별시 주택실",
    ),
    "Lypky Infrastructure Group LLC": ("ТОВ «Липки Інфраструктура Груп»", "립키 인프라 그룹"),
    "Pechersk Roadworks LLC": ("ТОВ «Печерськ Шляхобуд»", "페체르스크 도로건설"),
    "Dnipro Bridge Builders LLC": ("ТОВ «Дніпровські Мостобудівники»", "드니프로 교량건설"),
    "Obolon Utility Networks LLC": ("ТОВ «Оболонь Інженерні Мережі»", "오볼론 공공설비망"),
    "Vyshhorod Civil Engineering LLC": ("ТОВ «Вишгород Цивільне Будівництво»", "비시호로드 토목"),
    "Sviatoshyn Construction LLC": ("ТОВ «Святошин Будівництво»", "스뱌토신 건설"),
    "Holosiiv Building Trust LLC": ("ТОВ «Голосіїв Будтрест»", "홀로시우 건설신탁"),
    "Troieshchyna Housing Construction LLC": ("ТОВ «Троєщина Житлобуд»", "트로예쉬나 주택건설"),
    "Zoloti Vorota Design Bureau LLC": (
        "ТОВ «Проєктне бюро Золоті Ворота»",
        "졸로티 보로타 설계사무소",
    ),
    "Podil Engineering Design LLC": ("ТОВ «Поділ Інженерне Проєктування»", "포딜 엔지니어링 설계"),
    "Kyiv Tekhnahliad LLC": ("ТОВ «Київ Технагляд»", "키이우 기술감리"),
    "Bukhansan Construction Co., Ltd.": ("ТОВ «Пукхансан Будівництво»", "북한산건설(주)"),
    "Namsan E&C Co., Ltd.": ("ТОВ «Намсан Інжиніринг і Будівництво»", "남산이앤씨(주)"),
    "Cheonggye Infrastructure Co., Ltd.": ("ТОВ «Чхонгє Інфраструктура»", "청계인프라(주)"),
    "Gwanak Engineering & Construction Co., Ltd.": (
        "ТОВ «Кванак Інжиніринг і Будівництво»",
        "관악종합건설(주)",
    ),
    "Mapo Pipeline Works Co., Ltd.": ("ТОВ «Мапхо Трубопровідні Роботи»", "마포관로공사(주)"),
    "Jamsil Structures Co., Ltd.": ("ТОВ «Чамсіль Конструкції»", "잠실구조(주)"),
    "Eunpyeong Housing Construction Co., Ltd.": ("ТОВ «Инпхьон Житлобуд»", "은평주택건설(주)"),
    "Seorae Engineering Consultants Co., Ltd.": (
        "ТОВ «Соре Інженерний Консалтинг»",
        "서래엔지니어링(주)",
    ),
    "Inwang Design Group Co., Ltd.": ("ТОВ «Інван Дизайн Груп»", "인왕디자인그룹(주)"),
    "Andrii Melnyk": ("Андрій Мельник", "안드리 멜니크"),
    "Oksana Bondarenko": ("Оксана Бондаренко", "옥사나 본다렌코"),
    "Serhii Tkachenko": ("Сергій Ткаченко", "세르히 트카첸코"),
    "Iryna Shevchuk": ("Ірина Шевчук", "이리나 셰우추크"),
    "Taras Lysenko": ("Тарас Лисенко", "타라스 리센코"),
    "Nataliia Kravchenko": ("Наталія Кравченко", "나탈리아 크라우첸코"),
    "Kim Min-jun": ("Кім Мін Джун", "김민준"),
    "Lee Seo-yeon": ("Лі Со Йон", "이서연"),
    "Park Ji-hoon": ("Пак Чі Хун", "박지훈"),
    "Choi Ji-woo": ("Чхве Чі У", "최지우"),
    "Jung Hyun-woo": ("Чон Хьон У", "정현우"),
    "Kang Su-bin": ("Кан Су Бін", "강수빈"),
    "Yoon Seo-jun": ("Юн Со Джун", "윤서준"),
}
PLACES = {  # locality and country of each city: (Ukrainian, Korean)
    "Kyiv": ("Київ", "키이우"),
    "Ukraine": ("Україна", "우크라이나"),
    "Seoul": ("Сеул", "서울특별시"),
    "South Korea": ("Південна Корея", "대한민국"),
}
WHERE = {  # location descriptions: English start -> (Ukrainian, Korean) with {st}
    "Site on": ("Будівельний майданчик: {st}", "공사 현장: {st}"),
    "Works section along": ("Ділянка робіт: {st}", "공사 구간: {st}"),
    "Park area on": ("Територія скверу: {st}", "공원 부지: {st}"),
}
PHOTOS = {  # project kind (English title start) -> photos of the city
    ("ua", "Construction of a school"): ("kyiv-school.png", "kyiv-hospital.png"),
    ("ua", "Reconstruction of"): ("kyiv-bridge.png",),
    ("ua", "Extension of the city hospital"): ("kyiv-hospital.png", "kyiv-school.png"),
    ("kr", "Construction of a school"): ("seoul-school.png", "seoul-housing.png"),
    ("kr", "Widening of"): ("seoul-road.png",),
    ("kr", "Construction of social housing"): ("seoul-housing.png", "seoul-school.png"),
}
PHOTO_TITLES = (
    ("Site, north side", "Майданчик, північний бік", "현장 북측"),
    (
        "Site, works in progress",
        "Майданчик, хід робіт",
        "현장 공사 진행",
    ),
)
MONEY_STATUSES = ("implementation", "completion", "maintenance")


def _names(item: Json, key: str = "name") -> None:
    found = NAMES.get(str(item.get(key)))
    if found is not None:
        item.setdefault(f"{key}_uk", found[0])
        item.setdefault(f"{key}_ko", found[1])


def localize(project: Json) -> None:
    """Ukrainian and Korean beside every English name of one project."""
    for party in project.get("parties") or []:
        _names(party)
        if "contactPoint" in party:
            _names(party["contactPoint"])
    for location in project.get("locations") or []:
        address = location.get("address") or {}
        local_street = address.get("streetAddress", "")
        for key in ("locality", "countryName"):
            if address.get(key) in PLACES:
                address[f"{key}_uk"], address[f"{key}_ko"] = PLACES[address[key]]
        is_seoul = project["id"].startswith("oc4ids-kr")
        if "region" in address:  # the district as the city writes it
            district = local_street.split(" ")[0] if is_seoul else _uk_district(address["region"])
            address["region_uk"] = address["region_ko"] = district
        description = str(location.get("description") or "")
        street = local_street.split(",")[0]
        for start, (uk, ko) in WHERE.items():
            if description.startswith(start):
                location["description_uk"] = uk.format(st=street)
                location["description_ko"] = ko.format(st=street)
        if description and "description_uk" not in location:
            # A bridge or an overpass: its own name, as the city writes it.
            location["description_uk"] = location["description_ko"] = _structure(street, is_seoul)


def _structure(street: str, is_seoul: bool) -> str:
    """The structure's name from its local address ("중구 회현고가차도" -> "회현고가차도")."""
    return street.split(" ", 1)[-1] if is_seoul else street


def _uk_district(region: str) -> str:
    name = region.removesuffix(" district")
    return UK_DISTRICTS.get(name, name)


UK_DISTRICTS = {
    "Pecherskyi": "Печерський район",
    "Holosiivskyi": "Голосіївський район",
    "Sviatoshynskyi": "Святошинський район",
    "Solomianskyi": "Солом'янський район",
    "Shevchenkivskyi": "Шевченківський район",
    "Obolonskyi": "Оболонський район",
    "Podilskyi": "Подільський район",
    "Darnytskyi": "Дарницький район",
    "Dniprovskyi": "Дніпровський район",
    "Desnianskyi": "Деснянський район",
}


def add_money_and_photos(project: Json) -> None:
    """For some contracted projects: a contract, payments to the contractor, site photos."""
    code = project["id"].split("-")[1][:2]  # "ua" of oc4ids-uakyiv-0001, "kr" of krseou
    rng = random.Random(project["id"])
    contractor = next((p for p in project["parties"][1:] if "supplier" in p["roles"]), None)
    kind = next((k for c, k in PHOTOS if c == code and project["title"].startswith(k)), None)
    if kind is not None and rng.random() < 0.6:
        files = PHOTOS[code, kind]
        project["documents"] = [
            {
                "id": f"photo-{n}",
                "documentType": "illustration",
                "format": "image/png",
                "url": PHOTO_BASE + name,
                "title": titles[0],
                "title_uk": titles[1],
                "title_ko": titles[2],
            }
            for n, (name, titles) in enumerate(zip(files, PHOTO_TITLES, strict=False), 1)
        ]
        page = PUBLISHERS[code] + project["id"]
        project["documents"].append({"id": "page", "documentType": "projectWebsite", "url": page})
    if contractor is None or project["status"] not in MONEY_STATUSES or rng.random() < 0.5:
        return
    budget = project["budget"]["amount"]
    step = 1000 if code == "ua" else 1_000_000
    value = round(budget["amount"] * rng.uniform(0.82, 0.97) / step) * step
    share = min(1.0, float(_progress(project)) / 100)
    payments = rng.randint(1, 3) if share > 0 else 0
    authority = project["parties"][0]
    transactions = []
    for n in range(payments):
        amount = round(value * share / payments / step) * step
        day = f"2026-{3 + 2 * n:02d}-{rng.randint(1, 28):02d}T00:00:00Z"
        transactions.append(
            {
                "id": f"pay-{n + 1}",
                "date": day,
                "value": {"amount": amount, "currency": budget["currency"]},
                "payer": {"id": authority["id"], "name": authority["name"]},
                "payee": {"id": contractor["id"], "name": contractor["name"]},
            }
        )
    summary: Json = {
        "title": project["title"],
        "suppliers": [{"id": contractor["id"], "name": contractor["name"]}],
        "contractValue": {"amount": value, "currency": budget["currency"]},
        "transactions": transactions,
    }
    project["contractingProcesses"] = [{"id": f"{project['id']}-contract-1", "summary": summary}]


def _progress(project: Json) -> str:
    for metric in project.get("metrics") or []:
        if metric.get("id") == "physicalProgress" and metric.get("observations"):
            return str(metric["observations"][-1]["measure"])
    return "0"
