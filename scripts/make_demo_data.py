"""Generate the Clearsite demo OC4IDS project package: public works in Kyiv and Seoul.

Deterministic (fixed seed, fixed "today" of 2026-11-01, no network): running it twice writes
byte-identical output. Every project, and the package, is validated against the OC4IDS 0.9
schema before anything is written; the script exits non-zero if the data is invalid.

    python scripts/make_demo_data.py [--schema-dir DIR] [--output FILE]

Everything it reads is in the repository: the OC4IDS schemas shipped with the service
(core/projects/schema/) and the standard's worked example and sector codelist (scripts/oc4ids/).
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import math
import random
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import demo_extras
from jsonschema import Draft4Validator
from referencing import Registry, Resource

Json = dict[str, Any]

SEED = 20261101
TODAY = date(2026, 11, 1)
REPO = Path(__file__).resolve().parent.parent
SHIPPED_SCHEMA_DIR = (
    REPO / "core" / "projects" / "schema"
)  # the schemas the service validates with
EXAMPLE_DIR = REPO / "scripts" / "oc4ids"  # example.json and codelists/projectSector.csv
DEFAULT_OUTPUT = Path("core/projects/demo/demo-package.json")
PACKAGE_URI = "https://clearsite.example.org/demo/demo-package.json"
PDDL = "http://opendatacommons.org/licenses/pddl/1.0/"
COMPLETED = frozenset({"completion", "maintenance"})
DECOMMISSION = frozenset({"decommissioning", "decommissioned"})
DELAY_REASONS = (
    "relocation of underground utilities took longer than planned",
    "the design was changed after additional ground investigation",
    "structural steel was delivered late",
    "works were suspended over the winter",
)

# Tables: one record per line, fields separated by "|"; an indented line continues the previous
# line. Coordinates are approximate centres of the named street or structure (WGS84).
# Kinds: key|weight|cities|place|type|authority|UAH millions|KRW billions|{n} lo hi step|sector
KINDS = """
road|10|kyiv seoul|street|expansion|transport|40 600|10 180|400 2500 100|transport transport.road
repair|12|kyiv seoul|street|rehabilitation|transport|15 200|3 60|300 3000 100|
  transport transport.road
bridge|5|kyiv seoul|bridge|rehabilitation|transport|300 3500|20 450|0 0 1|transport transport.road
demolition|0|kyiv seoul|overpass|decommissioning|transport|30 300|5 60|0 0 1|
  transport transport.road
school|10|kyiv seoul|street|construction|education|60 450|15 90|600 1500 50|education
kindergarten|8|kyiv seoul|street|construction|education|30 160|3 20|80 280 20|education
water|10|kyiv seoul|street|replacement|water|10 180|2 45|300 3000 50|waterAndWaste
sewer|8|kyiv seoul|street|rehabilitation|sewer|15 250|3 70|300 2500 50|waterAndWaste
park|7|kyiv seoul|street|rehabilitation|parks|5 90|2 40|3000 40000 500|cultureSportsAndRecreation
hospital|5|kyiv seoul|street|expansion|health|120 1200|40 600|100 600 10|health
tram|5|kyiv|street|rehabilitation|transport|150 1500|0 0|500 4000 100|transport transport.urban
metro|3|kyiv seoul|street|construction|transport|1500 9000|150 900|400 1800 50|
  transport transport.urban
housing|7|kyiv seoul|street|construction|housing|150 1200|30 400|120 900 10|socialHousing
"""
# Texts: kind|language|title|description; {st} street or structure, {d} district, {n} a size.
TEXTS = """
road|en|Widening of {st}|Widening of the carriageway on {st} ({d}) over {n} m, with new
  pavements, stormwater drainage, street lighting and traffic signals.
road|uk|Реконструкція {st} з розширенням проїзної частини|Розширення проїзної частини {st}
  ({d} район) на ділянці {n} м, влаштування тротуарів, зливової каналізації, вуличного
  освітлення та світлофорів.
road|ko|{st} 도로 확장 공사|{d} {st} {n}m 구간 차로 확장, 보도 정비, 빗물받이 설치, 가로등
  및 신호등 개선 공사.
repair|en|Capital repair of {st}|Capital repair of {n} m of road surface, kerbs and pavements
  on {st} ({d}), with step-free pedestrian crossings.
repair|uk|Капітальний ремонт {st}|Капітальний ремонт дорожнього покриття, бордюрів та
  тротуарів {st} ({d} район) на ділянці {n} м з облаштуванням безбар'єрних переходів.
repair|ko|{st} 노후 도로 포장 정비|{d} {st} {n}m 구간 노후 포장 재포장, 보도 및 경계석 정비,
  무장애 횡단보도 설치 공사.
bridge|en|Reconstruction of {st}|Reconstruction of {st}: replacement of the deck, bearings and
  expansion joints, strengthening of the piers and new lighting.
bridge|uk|Реконструкція {st}|Реконструкція {st}: заміна прогонової будови, опорних частин та
  деформаційних швів, підсилення опор, нове освітлення.
bridge|ko|{st} 성능개선 공사|{st} 상판 교체, 교량 받침 및 신축이음장치 교체, 교각 보강,
  경관조명 설치 공사.
demolition|en|Dismantling of {st}|Dismantling of the life-expired {st} and construction of an
  at-grade junction in its place.
demolition|uk|Демонтаж {st}|Демонтаж аварійного {st} та облаштування наземного перехрестя на
  його місці.
demolition|ko|{st} 철거 공사|노후 {st} 철거 및 평면 교차로 조성 공사.
school|en|Construction of a school on {st}|New school for {n} pupils on {st} ({d}), with a
  sports hall, canteen and landscaped grounds.
school|uk|Будівництво загальноосвітнього навчального закладу на {st}|Будівництво школи на {n}
  учнів на {st} ({d} район) зі спортивним залом, їдальнею та благоустроєм території.
school|ko|{st} 초등학교 신축 공사|{d} {st} 일대 학생 {n}명 규모 초등학교 신축, 체육관 및
  급식실 설치 공사.
kindergarten|en|Construction of a kindergarten on {st}|New kindergarten for {n} children on
  {st} ({d}), with playgrounds and landscaped grounds.
kindergarten|uk|Будівництво дитячого садка на {st}|Будівництво закладу дошкільної освіти на
  {n} місць на {st} ({d} район) з ігровими майданчиками та благоустроєм території.
kindergarten|ko|{st} 공립 단설유치원 신축|{d} {st} 일대 원아 {n}명 규모 공립 단설유치원
  신축 및 놀이터 조성 공사.
water|en|Replacement of the water main on {st}|Replacement of {n} m of worn-out steel water
  main on {st} ({d}) with polyethylene pipe, with new valves and hydrants.
water|uk|Заміна водопровідної мережі на {st}|Заміна {n} м зношеного сталевого водогону на {st}
  ({d} район) на поліетиленові труби з новою запірною арматурою та гідрантами.
water|ko|{st} 노후 상수도관 교체 공사|{d} {st} {n}m 구간 노후 강관 상수도관 교체, 제수밸브
  및 소화전 정비 공사.
sewer|en|Rehabilitation of the sewer on {st}|Trenchless relining of {n} m of sewer collector
  on {st} ({d}) and repair of manholes.
sewer|uk|Реконструкція каналізаційного колектора на {st}|Безтраншейна реконструкція {n} м
  каналізаційного колектора на {st} ({d} район) та ремонт оглядових колодязів.
sewer|ko|{st} 노후 하수관로 정비 공사|{d} {st} {n}m 구간 노후 하수관로 비굴착 보수 및 맨홀
  정비 공사.
park|en|Improvement of the public garden on {st}|Landscaping of a {n} sq m public garden on
  {st} ({d}): paths, lighting, benches, a playground and new planting.
park|uk|Благоустрій скверу на {st}|Комплексний благоустрій скверу площею {n} кв. м на {st}
  ({d} район): доріжки, освітлення, лави, дитячий майданчик, озеленення.
park|ko|{st} 근린공원 재정비 공사|{d} {st} 일대 {n}제곱미터 근린공원 재정비: 산책로, 조명,
  벤치, 어린이 놀이터 및 수목 식재.
hospital|en|Extension of the city hospital on {st}|New {n}-bed treatment block and
  reconstruction of the emergency department of the city hospital on {st} ({d}).
hospital|uk|Будівництво лікувального корпусу міської лікарні на {st}|Будівництво лікувального
  корпусу на {n} ліжок та реконструкція приймального відділення міської лікарні на {st} ({d}
  район).
hospital|ko|{st} 시립병원 증축 공사|{d} {st} 시립병원 {n}병상 규모 병동 증축 및 응급실
  리모델링 공사.
tram|en|Reconstruction of the tram line on {st}|Renewal of {n} m of tram track and overhead
  line on {st} ({d}), with new step-free stops.
tram|uk|Реконструкція трамвайної лінії на {st}|Заміна {n} м трамвайної колії та контактної
  мережі на {st} ({d} район) з облаштуванням безбар'єрних зупинок.
metro|en|Construction of a metro station on {st}|New underground metro station with two
  entrances and lifts on {st} ({d}), including {n} m of running tunnels.
metro|uk|Будівництво станції метрополітену на {st}|Будівництво підземної станції
  метрополітену з двома вестибюлями та ліфтами на {st} ({d} район), включно з {n} м
  перегінних тунелів.
metro|ko|{st} 도시철도 정거장 신설 공사|{d} {st} 지하 정거장 및 본선 터널 {n}m 건설,
  출입구 2개소와 엘리베이터 설치 공사.
housing|en|Construction of social housing on {st}|Municipal rental housing with {n} flats on
  {st} ({d}), with underground parking and a playground.
housing|uk|Будівництво соціального житла на {st}|Будівництво житлового будинку на {n}
  квартир соціального житла на {st} ({d} район) з підземним паркінгом та дитячим майданчиком.
housing|ko|{st} 공공임대주택 건설 공사|{d} {st} 일대 {n}세대 규모 공공임대주택 건설 및
  지하주차장, 어린이 놀이터 조성 공사.
"""
# Streets: en|local|district en|district local|lat|lon
# Structures: en|local|local genitive (or empty)|district en|district local|lat|lon|kind
KYIV_PLACES = """
Khreshchatyk St|вул. Хрещатик|Pecherskyi|Печерський|50.4473|30.5224
Velyka Vasylkivska St|вул. Велика Васильківська|Holosiivskyi|Голосіївський|50.4255|30.5170
Antonovycha St|вул. Антоновича|Holosiivskyi|Голосіївський|50.4330|30.5090
Holosiivskyi Ave|просп. Голосіївський|Holosiivskyi|Голосіївський|50.3980|30.5100
Nauky Ave|просп. Науки|Holosiivskyi|Голосіївський|50.4050|30.5290
Akademika Hlushkova Ave|просп. Академіка Глушкова|Holosiivskyi|Голосіївський|50.3780|30.4650
Akademika Zabolotnoho St|вул. Академіка Заболотного|Holosiivskyi|Голосіївський|50.3560|30.4980
Mykoly Mikhnovskoho Blvd|бульв. Миколи Міхновського|Pecherskyi|Печерський|50.4160|30.5460
Beresteiskyi Ave|просп. Берестейський|Sviatoshynskyi|Святошинський|50.4580|30.3900
Akademika Palladina Ave|просп. Академіка Палладіна|Sviatoshynskyi|Святошинський|50.4720|30.3580
Symyrenka St|вул. Симиренка|Sviatoshynskyi|Святошинський|50.4260|30.3770
Povitrianykh Syl Ave|просп. Повітряних Сил|Solomianskyi|Солом'янський|50.4390|30.4700
Valeriia Lobanovskoho Ave|просп. Валерія Лобановського|Solomianskyi|Солом'янський|50.4220|30.4830
Vidradnyi Ave|просп. Відрадний|Solomianskyi|Солом'янський|50.4310|30.4350
Symona Petliury St|вул. Симона Петлюри|Shevchenkivskyi|Шевченківський|50.4420|30.4970
Dehtiarivska St|вул. Дегтярівська|Shevchenkivskyi|Шевченківський|50.4570|30.4600
Obolonskyi Ave|просп. Оболонський|Obolonskyi|Оболонський|50.5160|30.4980
Levka Lukianenka St|вул. Левка Лук'яненка|Obolonskyi|Оболонський|50.5050|30.4910
Yevropeiskoho Soiuzu Ave|просп. Європейського Союзу|Podilskyi|Подільський|50.5100|30.4260
Vyshhorodska St|вул. Вишгородська|Podilskyi|Подільський|50.4990|30.4750
Kyrylivska St|вул. Кирилівська|Podilskyi|Подільський|50.4800|30.4900
Petra Sahaidachnoho St|вул. Петра Сагайдачного|Podilskyi|Подільський|50.4620|30.5230
Mykoly Bazhana Ave|просп. Миколи Бажана|Darnytskyi|Дарницький|50.4020|30.6280
Petra Hryhorenka Ave|просп. Петра Григоренка|Darnytskyi|Дарницький|50.3960|30.6350
Revutskoho St|вул. Ревуцького|Darnytskyi|Дарницький|50.4050|30.6450
Sobornosti Ave|просп. Соборності|Dniprovskyi|Дніпровський|50.4470|30.6080
Ihoria Shamo Blvd|бульв. Ігоря Шамо|Dniprovskyi|Дніпровський|50.4420|30.5960
Lisovyi Ave|просп. Лісовий|Desnianskyi|Деснянський|50.4800|30.6400
Mykoly Zakrevskoho St|вул. Миколи Закревського|Desnianskyi|Деснянський|50.5140|30.6080
Kioto St|вул. Кіото|Desnianskyi|Деснянський|50.4600|30.6350
Paton Bridge|міст Патона|мосту Патона|Pecherskyi|Печерський|50.4330|30.5790|bridge
Pivdennyi Bridge|Південний міст|Південного мосту|Holosiivskyi|Голосіївський|50.3950|30.5860|
  bridge
Pivnichnyi Bridge|Північний міст|Північного мосту|Obolonskyi|Оболонський|50.4870|30.5430|bridge
Havanskyi Bridge|Гаванський міст|Гаванського мосту|Podilskyi|Подільський|50.4790|30.5330|bridge
Metro Bridge|міст Метро|мосту Метро|Dniprovskyi|Дніпровський|50.4440|30.5640|bridge
Darnytskyi Bridge|Дарницький міст|Дарницького мосту|Darnytskyi|Дарницький|50.4170|30.5850|bridge
Shuliavskyi Overpass|Шулявський шляхопровід|Шулявського шляхопроводу|Shevchenkivskyi|
  Шевченківський|50.4545|30.4470|overpass
Dehtiarivskyi Overpass|Дегтярівський шляхопровід|Дегтярівського шляхопроводу|Shevchenkivskyi|
  Шевченківський|50.4620|30.4560|overpass
Nyvkivskyi Overpass|Нивківський шляхопровід|Нивківського шляхопроводу|Sviatoshynskyi|
  Святошинський|50.4600|30.4050|overpass
Borshchahivskyi Overpass|Борщагівський шляхопровід|Борщагівського шляхопроводу|Sviatoshynskyi|
  Святошинський|50.4350|30.4150|overpass
Livoberezhnyi Overpass|Лівобережний шляхопровід|Лівобережного шляхопроводу|Dniprovskyi|
  Дніпровський|50.4520|30.5990|overpass
"""
SEOUL_PLACES = """
Sejong-daero|세종대로|Jung-gu|중구|37.5665|126.9770
Jong-ro|종로|Jongno-gu|종로구|37.5704|126.9920
Eulji-ro|을지로|Jung-gu|중구|37.5660|126.9910
Hangang-daero|한강대로|Yongsan-gu|용산구|37.5340|126.9730
Itaewon-ro|이태원로|Yongsan-gu|용산구|37.5345|126.9940
Wangsimni-ro|왕십리로|Seongdong-gu|성동구|37.5600|127.0360
Cheonho-daero|천호대로|Dongdaemun-gu|동대문구|37.5720|127.0470
Dobong-ro|도봉로|Dobong-gu|도봉구|37.6540|127.0360
Nowon-ro|노원로|Nowon-gu|노원구|37.6430|127.0720
Dongil-ro|동일로|Jungnang-gu|중랑구|37.6060|127.0770
Mangu-ro|망우로|Jungnang-gu|중랑구|37.5990|127.0930
Tongil-ro|통일로|Eunpyeong-gu|은평구|37.6060|126.9300
Yeonseo-ro|연서로|Eunpyeong-gu|은평구|37.6170|126.9220
Sinchon-ro|신촌로|Mapo-gu|마포구|37.5560|126.9370
Yanghwa-ro|양화로|Mapo-gu|마포구|37.5540|126.9180
Mapo-daero|마포대로|Mapo-gu|마포구|37.5470|126.9520
Gonghang-daero|공항대로|Gangseo-gu|강서구|37.5590|126.8350
Mokdongdong-ro|목동동로|Yangcheon-gu|양천구|37.5290|126.8750
Gyeongin-ro|경인로|Guro-gu|구로구|37.4990|126.8750
Siheung-daero|시흥대로|Geumcheon-gu|금천구|37.4660|126.8990
Yeouidaebang-ro|여의대방로|Yeongdeungpo-gu|영등포구|37.5130|126.9260
Sangdo-ro|상도로|Dongjak-gu|동작구|37.5020|126.9480
Gwanak-ro|관악로|Gwanak-gu|관악구|37.4790|126.9520
Nambusunhwan-ro|남부순환로|Seocho-gu|서초구|37.4850|127.0150
Gangnam-daero|강남대로|Seocho-gu|서초구|37.4960|127.0280
Teheran-ro|테헤란로|Gangnam-gu|강남구|37.5040|127.0440
Yeongdong-daero|영동대로|Gangnam-gu|강남구|37.5110|127.0600
Songpa-daero|송파대로|Songpa-gu|송파구|37.5010|127.1140
Olympic-ro|올림픽로|Songpa-gu|송파구|37.5150|127.1000
Yangjae-daero|양재대로|Gangdong-gu|강동구|37.5290|127.1420
Gwangnaru-ro|광나루로|Gwangjin-gu|광진구|37.5480|127.0700
Bomun-ro|보문로|Seongbuk-gu|성북구|37.5850|127.0190
Samyang-ro|삼양로|Gangbuk-gu|강북구|37.6250|127.0180
Seongsu Bridge|성수대교||Seongdong-gu|성동구|37.5370|127.0350|bridge
Hannam Bridge|한남대교||Yongsan-gu|용산구|37.5270|127.0130|bridge
Yanghwa Bridge|양화대교||Mapo-gu|마포구|37.5430|126.9030|bridge
Mapo Bridge|마포대교||Mapo-gu|마포구|37.5330|126.9390|bridge
Jamsil Bridge|잠실대교||Songpa-gu|송파구|37.5290|127.0950|bridge
Dongjak Bridge|동작대교||Dongjak-gu|동작구|37.5110|126.9810|bridge
Seongsan Bridge|성산대교||Mapo-gu|마포구|37.5440|126.8880|bridge
Ahyeon Overpass|아현고가차도||Mapo-gu|마포구|37.5550|126.9560|overpass
Seodaemun Overpass|서대문고가차도||Seodaemun-gu|서대문구|37.5660|126.9660|overpass
Yaksu Overpass|약수고가차도||Jung-gu|중구|37.5550|127.0100|overpass
Hoehyeon Overpass|회현고가차도||Jung-gu|중구|37.5570|126.9790|overpass
Sageun Overpass|사근고가차도||Seongdong-gu|성동구|37.5630|127.0400|overpass
"""
# Authorities: key|party id|official (fictional)|name en|name local
KYIV_AUTHORITIES = """
transport|ua-kcsa-dti|Andrii Melnyk|Department of Transport Infrastructure, Kyiv City State
  Administration|Департамент транспортної інфраструктури КМДА
education|ua-kcsa-edu|Oksana Bondarenko|Department of Education and Science, Kyiv City State
  Administration|Департамент освіти і науки КМДА
health|ua-kcsa-health|Serhii Tkachenko|Department of Health, Kyiv City State Administration|
  Департамент охорони здоров'я КМДА
water|ua-kcsa-dhci|Iryna Shevchuk|Department of Housing and Communal Infrastructure, Kyiv City
  State Administration|Департамент житлово-комунальної інфраструктури КМДА
parks|ua-kcsa-dub|Taras Lysenko|Department of Urban Improvement, Kyiv City State
  Administration|Департамент міського благоустрою КМДА
housing|ua-kcsa-dch|Nataliia Kravchenko|Department of Construction and Housing, Kyiv City
  State Administration|Департамент будівництва та житлового забезпечення КМДА
"""  # noqa: RUF001 (Ukrainian letter i in an official name)
SEOUL_AUTHORITIES = """
transport|kr-smg-infra|Kim Min-jun|Infrastructure Headquarters, Seoul Metropolitan Government|
  서울특별시 도시기반시설본부
education|kr-sen|Lee Seo-yeon|Seoul Metropolitan Office of Education|서울특별시교육청
health|kr-smg-health|Park Ji-hoon|Citizens' Health Bureau, Seoul Metropolitan Government|
  서울특별시 시민건강국
water|kr-smg-arisu|Choi Ji-woo|Seoul Arisu Headquarters, Seoul Metropolitan Government|
  서울아리수본부
sewer|kr-smg-water|Jung Hyun-woo|Water Circulation Safety Bureau, Seoul Metropolitan
  Government|서울특별시 물순환안전국
parks|kr-smg-green|Kang Su-bin|Green City Bureau, Seoul Metropolitan Government|
  서울특별시 푸른도시국
housing|kr-smg-housing|Yoon Seo-jun|Housing Office, Seoul Metropolitan Government|
  서울특별시 주택실
"""
# Suppliers (fictional): contractors, then design and supervision firms.
KYIV_CONTRACTORS = (
    "Lypky Infrastructure Group LLC|Pechersk Roadworks LLC|Dnipro Bridge Builders LLC|"
    "Obolon Utility Networks LLC|Vyshhorod Civil Engineering LLC|Sviatoshyn Construction LLC|"
    "Holosiiv Building Trust LLC|Troieshchyna Housing Construction LLC"
)
KYIV_DESIGNERS = (
    "Zoloti Vorota Design Bureau LLC|Podil Engineering Design LLC|Kyiv Tekhnahliad LLC"
)
SEOUL_CONTRACTORS = (
    "Bukhansan Construction Co., Ltd.|Namsan E&C Co., Ltd.|Cheonggye Infrastructure Co., Ltd.|"
    "Gwanak Engineering & Construction Co., Ltd.|Mapo Pipeline Works Co., Ltd.|"
    "Jamsil Structures Co., Ltd.|Eunpyeong Housing Construction Co., Ltd."
)
SEOUL_DESIGNERS = "Seorae Engineering Consultants Co., Ltd.|Inwang Design Group Co., Ltd."
# Phases: status -> (anchor, window lo, window hi, min months, max months). The anchor says
# whether the window is for the planned start or the planned end; "late" is implementation
# past its planned end.
PHASES: dict[str, tuple[str, date, date, int, int]] = {
    "identification": ("start", date(2027, 2, 1), date(2028, 6, 1), 18, 48),
    "preparation": ("start", date(2026, 12, 1), date(2027, 9, 1), 12, 40),
    "implementation": ("start", date(2023, 3, 1), date(2026, 8, 1), 12, 48),
    "late": ("end", date(2025, 1, 15), date(2026, 10, 15), 10, 36),
    "completion": ("end", date(2025, 9, 1), date(2026, 9, 1), 10, 30),
    "maintenance": ("end", date(2021, 6, 1), date(2025, 6, 1), 10, 36),
    "decommissioning": ("start", date(2026, 4, 1), date(2026, 9, 1), 8, 16),
    "decommissioned": ("end", date(2023, 3, 1), date(2025, 12, 1), 4, 12),
    "cancelled": ("start", date(2023, 6, 1), date(2026, 3, 1), 18, 40),
}


@dataclass(frozen=True)
class Kind:
    key: str
    weight: int
    cities: tuple[str, ...]
    place: str
    type: str
    authority: str
    uah: tuple[int, int]
    krw: tuple[int, int]
    size: tuple[int, int, int]
    sector: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    en: str
    local: str
    local_gen: str
    district_en: str
    district_local: str
    lat: float
    lon: float
    kind: str


@dataclass(frozen=True)
class Authority:
    id: str
    official: str
    name: str
    local: str
    email: str
    telephone: str


@dataclass(frozen=True)
class City:
    key: str
    code: str
    lang: str
    currency: str
    unit: int
    step: int
    locality: str
    country: str
    district_fmt: str
    address_fmt: tuple[str, str]
    places: tuple[Place, ...]
    authorities: dict[str, Authority]
    contractors: tuple[str, ...]
    designers: tuple[str, ...]
    statuses: tuple[tuple[str, int], ...]
    quotas: tuple[tuple[str, int], ...]
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    actual_end: date | None
    progress: list[tuple[date, int]]


def _table(block: str) -> list[list[str]]:
    """Records of a "|" table; an indented line continues the line above it."""
    lines: list[str] = []
    for line in block.strip("\n").splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.strip())
    return [[field.strip() for field in line.split("|")] for line in lines]


def _pair(text: str) -> tuple[int, int]:
    lo, hi = text.split()
    return int(lo), int(hi)


def _kinds() -> dict[str, Kind]:
    kinds: dict[str, Kind] = {}
    for key, weight, cities, place, type_, authority, uah, krw, size, sector in _table(KINDS):
        lo, hi, step = (int(x) for x in size.split())
        kinds[key] = Kind(
            key, int(weight), tuple(cities.split()), place, type_, authority,
            _pair(uah), _pair(krw), (lo, hi, step), tuple(sector.split()),
        )  # fmt: skip
    return kinds


def _places(block: str) -> tuple[Place, ...]:
    places: list[Place] = []
    for row in _table(block):
        if len(row) == 6:
            en, local, d_en, d_local, lat, lon = row
            gen, kind = local, "street"
        else:
            en, local, gen, d_en, d_local, lat, lon, kind = row
        places.append(Place(en, local, gen or local, d_en, d_local, float(lat), float(lon), kind))
    return tuple(places)


def _authorities(block: str, domain: str, phone: str) -> dict[str, Authority]:
    result: dict[str, Authority] = {}
    for index, (key, party_id, official, name, local) in enumerate(_table(block)):
        email = ".".join(reversed(official.lower().replace("-", "").split())) + "@" + domain
        number = phone.format(a=11 + index, b=30 + 7 * index, c=2100 + 37 * index)
        result[key] = Authority(party_id, official, name, local, email, number)
    return result


KIND = _kinds()
TEXT = {(row[0], row[1]): (row[2], row[3]) for row in _table(TEXTS)}
CITIES = (
    City(
        "kyiv", "ua", "uk", "UAH", 1_000_000, 1_000, "Kyiv", "Ukraine", "{d} district",
        ("{st}, {n}", "{st}"), _places(KYIV_PLACES),
        _authorities(KYIV_AUTHORITIES, "kyivcity.example.org", "+380 44 000 {a:02d} {b:02d}"),
        tuple(KYIV_CONTRACTORS.split("|")), tuple(KYIV_DESIGNERS.split("|")),
        (("identification", 5), ("preparation", 7), ("implementation", 46), ("late", 14),
         ("completion", 6), ("maintenance", 4), ("decommissioning", 2), ("decommissioned", 2),
         ("cancelled", 4)),
        (("LineString", 6), ("Polygon", 3)), (30.2, 50.25, 30.85, 50.6),
    ),
    City(
        "seoul", "kr", "ko", "KRW", 1_000_000_000, 1_000_000, "Seoul", "South Korea", "{d}",
        ("{d} {st} {n}", "{d} {st}"), _places(SEOUL_PLACES),
        _authorities(SEOUL_AUTHORITIES, "seoul.example.org", "+82 2 0000 {c}"),
        tuple(SEOUL_CONTRACTORS.split("|")), tuple(SEOUL_DESIGNERS.split("|")),
        (("identification", 3), ("preparation", 5), ("implementation", 30), ("late", 9),
         ("completion", 4), ("maintenance", 2), ("decommissioning", 2), ("decommissioned", 2),
         ("cancelled", 3)),
        (("LineString", 4), ("Polygon", 2)), (126.75, 37.4, 127.25, 37.72),
    ),
)  # fmt: skip


def id_prefix(city: City) -> str:
    """`oc4ids-` and a six-character prefix, the shape the standard's review tool checks for."""
    return f"oc4ids-{(city.code + city.key)[:6]}-"


def _ts(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _days(count: int) -> timedelta:
    return timedelta(days=count)


def _money(city: City, amount: float) -> int:
    return round(amount / city.step) * city.step


def _value(city: City, amount: int) -> Json:
    return {"amount": amount, "currency": city.currency}


def _shift(lon: float, lat: float, east: float, north: float) -> list[float]:
    """[lon, lat] moved by east/north metres."""
    dlat = north / 111_320
    dlon = east / (111_320 * math.cos(math.radians(lat)))
    return [round(lon + dlon, 6), round(lat + dlat, 6)]


def _line(rng: random.Random, lon: float, lat: float) -> list[list[float]]:
    points = [[round(lon, 6), round(lat, 6)]]
    bearing = rng.uniform(0, 2 * math.pi)
    for _ in range(rng.randint(2, 5)):
        bearing += rng.uniform(-0.35, 0.35)
        length = rng.uniform(120, 350)
        east, north = length * math.sin(bearing), length * math.cos(bearing)
        points.append(_shift(points[-1][0], points[-1][1], east, north))
    return points


def _ring(rng: random.Random, lon: float, lat: float) -> list[list[float]]:
    """A closed ring, counter-clockwise (the GeoJSON right-hand rule for exterior rings)."""
    corners = rng.randint(4, 6)
    base = rng.uniform(0, 2 * math.pi)
    ring = []
    for index in range(corners):
        angle = base + 2 * math.pi * index / corners + rng.uniform(-0.2, 0.2)
        radius = rng.uniform(90, 220)
        ring.append(_shift(lon, lat, radius * math.cos(angle), radius * math.sin(angle)))
    return [*ring, ring[0]]


def _location(rng: random.Random, city: City, place: Place, geometry: str) -> Json:
    lon, lat = place.lon, place.lat
    if place.kind == "street":
        lon, lat = _shift(lon, lat, rng.uniform(-250, 250), rng.uniform(-250, 250))
    coordinates: list[Any] = [round(lon, 6), round(lat, 6)]
    if geometry == "LineString":
        coordinates = _line(rng, lon, lat)
    elif geometry == "Polygon":
        coordinates = [_ring(rng, lon, lat)]
    number = rng.randint(1, 150) if geometry == "Point" and place.kind == "street" else None
    fmt = city.address_fmt[0 if number else 1]
    where = {"Point": "Site on", "LineString": "Works section along", "Polygon": "Park area on"}
    return {
        "id": "1",
        "description": place.en if place.kind != "street" else f"{where[geometry]} {place.en}",
        "geometry": {"type": geometry, "coordinates": coordinates},
        "address": {
            "streetAddress": fmt.format(st=place.local, d=place.district_local, n=number),
            "locality": city.locality,
            "region": city.district_fmt.format(d=place.district_en),
            "countryName": city.country,
        },
    }


def _texts(city: City, kind: Kind, place: Place, size: int) -> tuple[str, str, str, str]:
    en_title, en_text = TEXT[kind.key, "en"]
    title, text = TEXT[kind.key, city.lang]
    grouped = f"{size:,}"
    en = {"st": place.en, "d": city.district_fmt.format(d=place.district_en), "n": grouped}
    local = {"st": place.local_gen, "d": place.district_local, "n": grouped}
    if city.lang == "uk":
        local["n"] = grouped.replace(",", " ")
    return (
        en_title.format(**en),
        en_text.format(**en),
        title.format(**local),
        text.format(**local),
    )


def _series(rng: random.Random, start: date, last: date, current: int) -> list[tuple[date, int]]:
    """1-4 observations between start and last, rising with time to `current` on `last`."""
    span = (last - start).days
    count = max(1, min(rng.randint(1, 4), span - 1))
    offsets = [*sorted(rng.sample(range(1, span), count - 1)), span]
    return [(start + _days(days), round(current * days / span)) for days in offsets]


def _progress(
    rng: random.Random, status: str, start: date, end: date, actual: date | None
) -> list[tuple[date, int]]:
    if actual is not None:
        return _series(rng, start, actual, 100)
    if status in ("identification", "preparation"):  # not started: no progress, or 0 %
        zero = status == "preparation" and rng.random() < 0.5
        return [(TODAY - _days(rng.randint(5, 90)), 0)] if zero else []
    last = TODAY - _days(rng.randint(3, 30))
    if status == "cancelled":
        if (last - start).days < 120 or rng.random() < 0.4:
            return []
        stopped = start + _days(round((last - start).days * rng.uniform(0.3, 0.8)))
        return _series(rng, start, stopped, rng.randint(3, 35))
    if end < TODAY:  # late: past the planned end, not finished
        return _series(rng, start, last, rng.randint(55, 95))
    share = (last - start).days / (end - start).days
    return _series(rng, start, last, min(97, max(2, round(100 * share * rng.uniform(0.7, 1.05)))))


def _actual_end(rng: random.Random, status: str, end: date) -> date | None:
    if status in COMPLETED:
        delay = rng.randint(30, 240) if rng.random() < 0.4 else rng.randint(-20, 0)
        return min(end + _days(delay), TODAY - _days(5))
    if status == "decommissioned":
        return min(end + _days(rng.randint(-20, 20)), TODAY - _days(5))
    return None


def _timeline(rng: random.Random, phase: str) -> Timeline:
    status = "implementation" if phase == "late" else phase
    anchor, lo, hi, shortest, longest = PHASES[phase]
    length = _days(round(rng.randint(shortest, longest) * 30.44))
    if anchor == "start":
        start = _day(rng, lo, hi)
        end = start + length
    else:
        end = _day(rng, lo, hi)
        start = end - length
    if phase == "implementation":  # on schedule: the planned end is still ahead
        end = max(end, TODAY + _days(rng.randint(45, 400)))
    actual = _actual_end(rng, status, end)
    return Timeline(start, end, actual, _progress(rng, status, start, end, actual))


def _metric(progress: list[tuple[date, int]]) -> Json:
    observations = [
        {
            "id": str(index),
            "measure": str(measure),
            "unit": {"name": "percent"},
            "period": {"startDate": _ts(day), "endDate": _ts(day)},
        }
        for index, (day, measure) in enumerate(progress, 1)
    ]
    return {"id": "physicalProgress", "title": "Physical progress", "observations": observations}


def _completion(rng: random.Random, city: City, budget: int, tl: Timeline, scope: str) -> Json:
    actual = tl.actual_end or tl.end
    delay = (actual - tl.end).days
    final = _money(
        city, budget * (rng.uniform(1.04, 1.3) if delay > 0 else rng.uniform(0.95, 1.06))
    )
    result: Json = {"endDate": _ts(actual), "finalValue": _value(city, final), "finalScope": scope}
    if delay > 0:
        reason = rng.choice(DELAY_REASONS)
        result["endDateDetails"] = f"Completed {delay} days after the planned date: {reason}."
    if final > budget * 1.03:
        result["finalValueDetails"] = "Additional works and construction price indexation."
    elif final < budget:
        result["finalValueDetails"] = "Savings from the tender and unused contingency."
    return result


def _parties(rng: random.Random, city: City, kind: Kind, status: str) -> list[Json]:
    # Kyiv has one department for water mains and sewers: "sewer" falls back to "water".
    authority = city.authorities.get(kind.authority) or city.authorities["water"]
    contact = {"name": authority.official, "email": authority.email}
    parties: list[Json] = [
        {
            "id": authority.id,
            "name": authority.name,
            f"name_{city.lang}": authority.local,
            "roles": ["publicAuthority", "buyer"],
            "contactPoint": {**contact, "telephone": authority.telephone},
        }
    ]
    contracted = status not in ("identification", "preparation", "cancelled")
    if contracted or (status == "cancelled" and rng.random() < 0.5):
        parties.append(_supplier(rng, city, "contractor"))
    if status == "preparation" or (status != "identification" and rng.random() < 0.4):
        parties.append(_supplier(rng, city, "designer"))
    return parties


def _supplier(rng: random.Random, city: City, role: str) -> Json:
    names = city.contractors if role == "contractor" else city.designers
    index = rng.randrange(len(names))
    return {
        "id": f"{city.code}-{role}-{index + 1:02d}",
        "name": names[index],
        "roles": ["supplier"],
    }


def _project(
    rng: random.Random, city: City, number: int, phase: str, kind: Kind, place: Place, shape: str
) -> Json:
    tl = _timeline(rng, phase)
    status = "implementation" if phase == "late" else phase
    size = rng.randrange(kind.size[0], kind.size[1] + 1, kind.size[2])
    title, text, local_title, local_text = _texts(city, kind, place, size)
    lo, hi = kind.uah if city.currency == "UAH" else kind.krw
    budget = _money(city, rng.uniform(lo, hi) * city.unit)
    parties = _parties(rng, city, kind, status)
    seen = max([TODAY - _days(rng.randint(1, 75)), *(day for day, _ in tl.progress)])
    clock = f"{rng.randint(7, 17):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    project: Json = {
        "id": f"{id_prefix(city)}{number:04d}",
        "updated": f"{seen.isoformat()}T{clock}:00Z",
        "language": "en",
        "title": title,
        f"title_{city.lang}": local_title,
        "description": text,
        f"description_{city.lang}": local_text,
        "status": status,
        "type": kind.type,
        "sector": list(kind.sector),
        "period": {"startDate": _ts(tl.start), "endDate": _ts(tl.end),
                   "durationInDays": (tl.end - tl.start).days},
        "budget": {"amount": _value(city, budget)},
        "locations": [_location(rng, city, place, shape)],
        "parties": parties,
        "publicAuthority": {"id": parties[0]["id"], "name": parties[0]["name"]},
    }  # fmt: skip
    if tl.progress:
        project["metrics"] = [_metric(tl.progress)]
    if status in COMPLETED:
        project["completion"] = _completion(rng, city, budget, tl, text)
    return project


def _kind_plan(rng: random.Random, city: City, phases: list[str]) -> list[Kind]:
    """One kind of work per phase: demolitions for decommissioning, the rest by weight."""
    kinds = [k for k in KIND.values() if k.weight and city.key in k.cities]
    total, count = sum(k.weight for k in kinds), sum(p not in DECOMMISSION for p in phases)
    shares = {k.key: count * k.weight / total for k in kinds}
    counts = {key: int(share) for key, share in shares.items()}
    missing = count - sum(counts.values())  # largest remainders get the leftovers
    for key in sorted(shares, key=lambda key: counts[key] - shares[key])[:missing]:
        counts[key] += 1
    pool = [k for k in kinds for _ in range(counts[k.key])]
    rng.shuffle(pool)
    return [KIND["demolition"] if phase in DECOMMISSION else pool.pop() for phase in phases]


def _place(rng: random.Random, city: City, kind: Kind, used: set[str]) -> Place:
    """A place not used for this kind of work yet (a bridge or overpass only once)."""
    free = [p for p in city.places if p.kind == kind.place and _slot(kind, p) not in used]
    if not free:
        raise SystemExit(f"{city.key}: no place left for {kind.key}; extend the place table")
    place = rng.choice(free)
    used.add(_slot(kind, place))
    return place


def _slot(kind: Kind, place: Place) -> str:
    return place.en if place.kind != "street" else f"{kind.key}:{place.en}"


def _shape(rng: random.Random, kind: Kind, quota: dict[str, int]) -> str:
    wanted = "Point"
    if kind.key == "park":
        wanted = "Polygon"
    elif kind.key in ("road", "repair", "water") and rng.random() < 0.5:
        wanted = "LineString"
    if wanted != "Point" and quota[wanted] > 0:
        quota[wanted] -= 1
        return wanted
    return "Point"


def _city_projects(rng: random.Random, city: City) -> list[Json]:
    phases = [phase for phase, count in city.statuses for _ in range(count)]
    rng.shuffle(phases)
    used: set[str] = set()
    quota = dict(city.quotas)
    projects = []
    for number, (phase, kind) in enumerate(
        zip(phases, _kind_plan(rng, city, phases), strict=True)
    ):
        place = _place(rng, city, kind, used)
        shape = _shape(rng, kind, quota)
        projects.append(_project(rng, city, number + 1, phase, kind, place, shape))
    return projects


def _swap(coordinates: list[Any]) -> list[Any]:
    """[lat, lon, ...] -> [lon, lat, ...], at any nesting depth."""
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swap(item) for item in coordinates]


def _example_project(example: Json) -> Json:
    """The official OC4IDS worked example (PDDL 1.0), unchanged except for its coordinates:
    the example writes them latitude-first, against GeoJSON's [longitude, latitude]."""
    project: Json = copy.deepcopy(example["projects"][0])
    for location in project.get("locations", []):
        geometry = location.get("geometry")
        if geometry and "coordinates" in geometry:
            geometry["coordinates"] = _swap(geometry["coordinates"])
    return project


def build_package(example: Json) -> Json:
    rng = random.Random(SEED)
    projects = [project for city in CITIES for project in _city_projects(rng, city)]
    for project in projects:  # after every draw above: their own random numbers
        demo_extras.localize(project)
        demo_extras.add_money_and_photos(project)
    projects.append(_example_project(example))
    projects.sort(key=lambda project: str(project["id"]))
    return {
        "version": "0.9",
        "uri": PACKAGE_URI,
        "publishedDate": _ts(TODAY),
        "publisher": {"name": "Clearsite demo data"},
        "license": PDDL,
        "projects": projects,
    }


def _load(path: Path) -> Json:
    data: Json = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Sources:
    """Where the standard's files are read from."""

    schemas: Path  # project-schema.json, project-package-schema.json
    examples: Path  # example.json, codelists/projectSector.csv

    @classmethod
    def of(cls, schema_dir: Path | None) -> Sources:
        """One folder holding them all (--schema-dir), or the repository's own copies."""
        if schema_dir is not None:
            return cls(schema_dir, schema_dir)
        return cls(SHIPPED_SCHEMA_DIR, EXAMPLE_DIR)


def _schema_errors(package: Json, sources: Sources) -> list[str]:
    project_schema = _load(sources.schemas / "project-schema.json")
    package_schema = _load(sources.schemas / "project-package-schema.json")
    resource = Resource.from_contents(project_schema)
    registry: Registry[Any] = Registry().with_resource(project_schema["id"], resource)
    checker = Draft4Validator.FORMAT_CHECKER
    errors: list[str] = []
    project_validator = Draft4Validator(project_schema, format_checker=checker)
    for project in package["projects"]:
        for error in project_validator.iter_errors(project):
            where = "/".join(str(part) for part in error.absolute_path)
            errors.append(f"{project.get('id')}: {where}: {error.message}")
    package_validator = Draft4Validator(package_schema, registry=registry, format_checker=checker)
    for error in package_validator.iter_errors(package):
        where = "/".join(str(part) for part in error.absolute_path)
        errors.append(f"package: {where}: {error.message}")
    return errors


def _content_errors(package: Json, sources: Sources) -> list[str]:
    """What the schema cannot say: codelist sectors, unique ids, [lon, lat] inside the city."""
    with (sources.examples / "codelists" / "projectSector.csv").open(encoding="utf-8") as handle:
        sectors = {row["Code"] for row in csv.DictReader(handle)}
    boxes = {id_prefix(city): city.bbox for city in CITIES}
    ids = Counter(str(project["id"]) for project in package["projects"])
    errors = [f"{pid}: duplicate id" for pid, count in ids.items() if count > 1]
    for project in package["projects"]:
        errors += [f"{project['id']}: sector {s}" for s in project["sector"] if s not in sectors]
        box = next((b for prefix, b in boxes.items() if project["id"].startswith(prefix)), None)
        if box is None:  # the OC4IDS example project
            continue
        for location in project["locations"]:
            for lon, lat in _positions(location["geometry"]["coordinates"]):
                if not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
                    errors.append(f"{project['id']}: [{lon}, {lat}] is outside the city")
    return errors


def _positions(coordinates: list[Any]) -> list[tuple[float, float]]:
    if coordinates and isinstance(coordinates[0], int | float):
        return [(float(coordinates[0]), float(coordinates[1]))]
    return [position for item in coordinates for position in _positions(item)]


def validate(package: Json, sources: Sources) -> None:
    """Raise SystemExit listing every problem if the package is not valid OC4IDS."""
    errors = _schema_errors(package, sources) + _content_errors(package, sources)
    if errors:
        shown = "\n".join(errors[:50])
        raise SystemExit(f"demo package is invalid ({len(errors)} problems):\n{shown}")


def _summary(package: Json, output: str) -> str:
    projects = package["projects"]
    prefixes = {id_prefix(city): city.key for city in CITIES}
    cities = Counter(
        next(
            (key for prefix, key in prefixes.items() if str(p["id"]).startswith(prefix)), "example"
        )
        for p in projects
    )
    statuses = Counter(str(p["status"]) for p in projects)
    late = sum(
        1
        for p in projects
        if p["status"] == "implementation" and p["period"]["endDate"] < _ts(TODAY)
    )
    by_city = ", ".join(f"{name} {count}" for name, count in sorted(cities.items()))
    by_status = ", ".join(f"{name} {count}" for name, count in sorted(statuses.items()))
    return f"wrote {output}: {len(projects)} projects ({by_city}; {by_status}; late {late})\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the Clearsite demo OC4IDS package.")
    parser.add_argument(
        "--schema-dir",
        type=Path,
        default=None,
        help="one folder with the OC4IDS schemas, codelists and example.json (default: the "
        "repository's copies in core/projects/schema and scripts/oc4ids)",
    )
    parser.add_argument(
        "--output", type=Path, default=REPO / DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}"
    )
    args = parser.parse_args(argv)
    sources = Sources.of(args.schema_dir)
    package = build_package(_load(sources.examples / "example.json"))
    validate(package, sources)
    text = json.dumps(package, indent=1, ensure_ascii=False) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(text.encode("utf-8"))
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    sys.stdout.write(_summary(package, str(shown)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
