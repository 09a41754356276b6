"""What the demo region is made of, as data. Everything is loaded through the rooms' services."""

from __future__ import annotations

from datetime import date, time

OBLAST = "UA05000000000010236"  # Вінницька область

# Weekly hours: weekday (0 = Monday) → intervals.
MAIN_HOURS = {
    0: [(time(8), time(17))],
    1: [(time(8), time(17))],
    2: [(time(8), time(17))],
    3: [(time(8), time(20))],  # Thursday until 20:00
    4: [(time(8), time(16))],
    5: [(time(8), time(15))],
}
REMOTE_HOURS = {d: [(time(9), time(13)), (time(14), time(17))] for d in range(5)}
MOBILE_HOURS = {1: [(time(10), time(15))], 3: [(time(10), time(15))]}

CENTERS = [
    {
        "slug": "vinnytsia",
        "hromada": "UA05020030000031457",
        "name": "Центр надання адміністративних послуг «Прозорий офіс» Вінницької міської ради",
        "short_name": "ЦНАП Вінниця",
        "address": "м. Вінниця, вул. Соборна, 59",
        "phone": "+380432590000",
        "email": "cnap@vinnytsia.example.org",
        "share_of_catalog": 1.0,
        "population": 388000,  # residents of the hromada, approximate (per-1,000 figures)
        "offices": [
            ("main", "ЦНАП Вінниця — головний офіс", "UA05020030010063857", "м. Вінниця, вул. Соборна, 59", MAIN_HOURS),
            ("branch", "ТП «Замостя»", "UA05020030010063857", "м. Вінниця, вул. Келецька, 2", MAIN_HOURS),
            ("remote", "ВРМ у селищі Десна", "UA05020030020063505", "смт Десна, вул. Шевченка, 1", REMOTE_HOURS),
            ("mobile", "Мобільний ЦНАП Вінницької громади", None, "Виїзне обслуговування за графіком", MOBILE_HOURS),
        ],
    },
    {
        "slug": "zhmerynka",
        "hromada": "UA05060050000058111",
        "name": "Центр надання адміністративних послуг Жмеринської міської ради",
        "short_name": "ЦНАП Жмеринка",
        "address": "м. Жмеринка, вул. Київська, 1",
        "phone": "+380433221000",
        "email": "cnap@zhmerynka.example.org",
        "share_of_catalog": 0.8,
        "population": 44800,  # residents of the hromada, approximate (per-1,000 figures)
        "offices": [
            (
                "main",
                "ЦНАП Жмеринка — головний офіс",
                "UA05060050010030599",
                "м. Жмеринка, вул. Київська, 1",
                MAIN_HOURS,
            ),
            ("remote", "ВРМ у селищі Браїлів", "UA05060050020042300", "сел. Браїлів, вул. Центральна, 5", REMOTE_HOURS),
            ("remote", "ВРМ у селі Біликівці", "UA05060050030096989", "с. Біликівці, вул. Миру, 10", REMOTE_HOURS),
        ],
    },
    {
        "slug": "tulchyn",
        "hromada": "UA05100150000050790",
        "name": "Центр надання адміністративних послуг Тульчинської міської ради",
        "short_name": "ЦНАП Тульчин",
        "address": "м. Тульчин, вул. Миколи Леонтовича, 1",
        "phone": "+380433521000",
        "email": "cnap@tulchyn.example.org",
        "share_of_catalog": 0.65,
        "population": 31600,  # residents of the hromada, approximate (per-1,000 figures)
        "offices": [
            (
                "main",
                "ЦНАП Тульчин — головний офіс",
                "UA05100150010035552",
                "м. Тульчин, вул. М. Леонтовича, 1",
                MAIN_HOURS,
            ),
            (
                "branch",
                "ТП у селищі Кирнасівка",
                "UA05100150020043414",
                "сел. Кирнасівка, вул. Незалежності, 3",
                REMOTE_HOURS,
            ),
            ("remote", "ВРМ у селі Білоусівка", "UA05100150030053129", "с. Білоусівка, вул. Садова, 7", REMOTE_HOURS),
        ],
    },
]

# Dated exceptions for every main office.
EXCEPTIONS = [
    (date(2026, 12, 31), "shortened", time(8), time(13), "Передноворічний скорочений день"),
    (date(2027, 1, 2), "closed", None, None, "Санітарний день"),
]

# Fictional bodies with valid ЄДРПОУ check digits (demo data, not real registrations).
PROVIDERS = [
    (
        "Відділ державної реєстрації актів цивільного стану у Вінницькому районі (демо)",
        "ДРАЦС Вінниця",
        "00032129",
        "state_territorial",
        None,
        ["ACS"],
    ),
    (
        "Вінницький відділ Управління ДМС у Вінницькій області (демо)",
        "ДМС Вінниця",
        "00034045",
        "state_territorial",
        None,
        ["PAS", "CMP"],
    ),
    (
        "Головне управління Пенсійного фонду України у Вінницькій області (демо)",
        "ПФУ Вінниця",
        "43316700",
        "state_territorial",
        None,
        ["PEN", "SOC"],
    ),
    (
        "Головне управління Держгеокадастру у Вінницькій області (демо)",
        "Держгеокадастр",
        "39421140",
        "state_territorial",
        None,
        ["ZEM"],
    ),
    ("Територіальний сервісний центр МВС № 0541 (демо)", "ТСЦ 0541", "39700330", "state_territorial", None, ["TRN"]),
    (
        "Відділ державної реєстрації Вінницької міської ради (демо)",
        "Держреєстратори Вінниця",
        "40090718",
        "state_registrar",
        "UA05020030000031457",
        ["BUS", "NER"],
    ),
    (
        "Департамент архітектури та містобудування Вінницької міської ради (демо)",
        "Архітектура Вінниця",
        "41873441",
        "council_department",
        "UA05020030000031457",
        ["ARH"],
    ),
    (
        "Відділ реєстрації місця проживання Жмеринської міської ради (демо)",
        "Реєстрація Жмеринка",
        "34123180",
        "council_department",
        "UA05060050000058111",
        ["RMP"],
    ),
    (
        "Відділ реєстрації місця проживання Тульчинської міської ради (демо)",
        "Реєстрація Тульчин",
        "44130036",
        "council_department",
        "UA05100150000050790",
        ["RMP"],
    ),
    (
        "Відділ реєстрації місця проживання Вінницької міської ради (демо)",
        "Реєстрація Вінниця",
        "26101520",
        "council_department",
        "UA05020030000031457",
        ["RMP"],
    ),
]

DEMO_PASSWORD = "vikno-demo-2026"  # noqa: S105 - printed by `make run`, demo only
