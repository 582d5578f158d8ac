"""The Korea–Central Asia Cooperation Forum's reference data, written from public facts.

Another forum replaces this module's content (or loads its own through the admin); nothing
else in Serai names a country or body. Forum sessions are compiled from public press reports
(sources given per row) and stay *unverified* until the Secretariat confirms them.
"""

from __future__ import annotations

MEMBER_STATES = [
    # iso2, iso3, numeric, names (en, ko, ru), capitals (en, ko, ru), dialogue partner
    ("KR", "KOR", "410", ("Republic of Korea", "대한민국", "Республика Корея"), ("Seoul", "서울", "Сеул"), True),
    ("KZ", "KAZ", "398", ("Kazakhstan", "카자흐스탄", "Казахстан"), ("Astana", "아스타나", "Астана"), False),
    ("KG", "KGZ", "417", ("Kyrgyzstan", "키르기스스탄", "Кыргызстан"), ("Bishkek", "비슈케크", "Бишкек"), False),
    ("TJ", "TJK", "762", ("Tajikistan", "타지키스탄", "Таджикистан"), ("Dushanbe", "두샨베", "Душанбе"), False),
    (
        "TM",
        "TKM",
        "795",
        ("Turkmenistan", "투르크메니스탄", "Туркменистан"),
        ("Ashgabat", "아슈하바트", "Ашхабад"),
        False,
    ),
    ("UZ", "UZB", "860", ("Uzbekistan", "우즈베키스탄", "Узбекистан"), ("Tashkent", "타슈켄트", "Ташкент"), False),
]

BODIES = [
    # code, kind, parent code, established, names (en, ko, ru), description (en, ko, ru)
    (
        "forum",
        "forum",
        None,
        2007,
        (
            "Korea–Central Asia Cooperation Forum",
            "한·중앙아 협력 포럼",
            "Форум сотрудничества «Республика Корея – Центральная Азия»",
        ),
        (
            "The annual consultative meeting of the foreign ministries of Korea and the five Central Asian states, held since 2007.",
            "2007년부터 매년 열리는 한국과 중앙아시아 5개국 외교부 간 협의체.",
            "Ежегодное консультативное совещание министерств иностранных дел Республики Корея и пяти государств Центральной Азии, проводится с 2007 года.",
        ),
    ),
    (
        "som",
        "som",
        "forum",
        None,
        ("Senior Officials' Meeting", "고위관리회의", "Совещание старших должностных лиц"),
        (
            "Prepares each Forum session: agenda, joint statement and the Secretariat's work plan.",
            "포럼 회의의 의제, 공동성명, 사무국 사업계획을 준비한다.",
            "Готовит каждую сессию Форума: повестку дня, совместное заявление и план работы Секретариата.",
        ),
    ),
    (
        "secretariat",
        "secretariat",
        "forum",
        2017,
        (
            "Secretariat of the Korea–Central Asia Cooperation Forum",
            "한·중앙아 협력포럼 사무국",
            "Секретариат Форума сотрудничества «Республика Корея – Центральная Азия»",
        ),
        (
            "The permanent secretariat in Seoul, working since 2017: it identifies and tracks cooperation projects.",
            "2017년부터 서울에서 활동하는 상설 사무국으로, 협력 사업을 발굴하고 관리한다.",
            "Постоянный секретариат в Сеуле, работает с 2017 года: определяет проекты сотрудничества и сопровождает их.",
        ),
    ),
    (
        "economy",
        "subcommittee",
        "secretariat",
        None,
        ("Economy Subcommittee", "경제분과위원회", "Подкомитет по экономическому сотрудничеству"),
        (
            "Energy, transport and logistics, trade, high-tech and IT, construction, textiles, agriculture, climate and environment.",
            "에너지, 교통·물류, 무역, 첨단기술·IT, 건설, 섬유, 농업, 기후·환경.",
            "Энергетика, транспорт и логистика, торговля, высокие технологии и ИТ, строительство, текстиль, сельское хозяйство, климат и экология.",
        ),
    ),
    (
        "social-culture",
        "subcommittee",
        "secretariat",
        None,
        (
            "Social & Culture Subcommittee",
            "사회문화분과위원회",
            "Подкомитет по социальному и культурному сотрудничеству",
        ),
        (
            "Culture, tourism, education and health.",
            "문화, 관광, 교육, 보건.",
            "Культура, туризм, образование и здравоохранение.",
        ),
    ),
    (
        "business-council",
        "business_council",
        "forum",
        None,
        (
            "Korea–Central Asia Business Council",
            "한·중앙아 비즈니스 협의회",
            "Деловой совет «Республика Корея – Центральная Азия»",
        ),
        (
            "Brings the private sector of the six countries together alongside the Forum.",
            "포럼과 함께 6개국 민간 부문을 연결한다.",
            "Объединяет частный сектор шести стран в рамках Форума.",
        ),
    ),
]

# code, subcommittee, colour, names (en, ko, ru), OECD DAC 5-digit purpose codes
COOPERATION_FIELDS = [
    (
        "energy",
        "economy",
        "#d9822b",
        ("Energy", "에너지", "Энергетика"),
        [
            "23110",
            "23181",
            "23182",
            "23183",
            "23210",
            "23220",
            "23230",
            "23240",
            "23270",
            "23310",
            "23340",
            "23510",
            "23620",
            "23630",
            "23640",
            "32262",
        ],
    ),
    (
        "transport-logistics",
        "economy",
        "#2f6f8f",
        ("Transport and logistics", "교통·물류", "Транспорт и логистика"),
        ["21010", "21020", "21030", "21040", "21050", "21061", "21081"],
    ),
    (
        "trade",
        "economy",
        "#6b8e23",
        ("Trade", "무역", "Торговля"),
        ["33110", "33120", "33130", "33140", "33150", "33181", "25010"],
    ),
    (
        "high-tech-it",
        "economy",
        "#5b4a9b",
        ("High-tech and IT", "첨단기술·IT", "Высокие технологии и ИТ"),
        ["22010", "22020", "22040", "32182", "43082"],
    ),
    ("construction", "economy", "#8c6d46", ("Construction", "건설", "Строительство"), ["32310", "43030"]),
    ("textiles", "economy", "#b5487a", ("Textiles", "섬유", "Текстильная промышленность"), ["32163"]),
    (
        "agriculture",
        "economy",
        "#3f8f4f",
        ("Agriculture", "농업", "Сельское хозяйство"),
        ["31110", "31120", "31140", "31150", "31161", "31163", "31182", "31191", "31210", "31220", "32161"],
    ),
    (
        "climate-environment",
        "economy",
        "#1f8a83",
        ("Climate and environment", "기후·환경", "Климат и окружающая среда"),
        ["41010", "41020", "41030", "41081", "41082", "14010", "14015", "74020"],
    ),
    ("culture", "social-culture", "#c0392b", ("Culture", "문화", "Культура"), ["16061", "16065", "16066"]),
    ("tourism", "social-culture", "#e0a526", ("Tourism", "관광", "Туризм"), ["33210"]),
    (
        "education",
        "social-culture",
        "#2874a6",
        ("Education", "교육", "Образование"),
        ["11110", "11120", "11130", "11182", "11330", "11420", "11430"],
    ),
    (
        "health",
        "social-culture",
        "#a93226",
        ("Health", "보건", "Здравоохранение"),
        ["12110", "12181", "12182", "12191", "12220", "12230", "12250", "12264"],
    ),
]

# number, year, date (ISO) or None, host country ISO2, host city (en, ko, ru), theme (en, ko, ru), source
FORUM_SESSIONS = [
    (
        1,
        2007,
        "2007-11-15",
        "KR",
        ("Seoul", "서울", "Сеул"),
        (
            "Launch of the Forum; cooperation beyond energy and resources into IT, high technology, manufacturing, culture, tourism and education",
            "포럼 출범: 에너지·자원을 넘어 IT, 첨단기술, 제조업, 문화, 관광, 교육 분야로 협력 확대",
            "Учреждение Форума: сотрудничество за пределами энергетики и ресурсов — ИТ, высокие технологии, промышленность, культура, туризм и образование",
        ),
        "https://uzdaily.uz/en/outcomes-of-the-1st-korea-central-asia-cooperation-forum",
    ),
    (
        3,
        2009,
        "2009-12-02",
        "KR",
        ("Seoul", "서울", "Сеул"),
        (
            "Energy, partnership in advanced education and health care",
            "에너지, 고등교육 협력, 보건의료",
            "Энергетика, партнёрство в высшем образовании и здравоохранение",
        ),
        "https://www.oananews.org/node/92537",
    ),
    (
        7,
        2013,
        "2013-10-04",
        "KG",
        ("Bishkek", "비슈케크", "Бишкек"),
        (
            "Textiles, railways and forestry",
            "섬유, 철도, 산림",
            "Текстильная промышленность, железные дороги и лесное хозяйство",
        ),
        "https://mofa.go.kr/eng/brd/m_5676/view.do?seq=312879",
    ),
    (
        10,
        2016,
        None,
        "KR",
        ("Seoul", "서울", "Сеул"),
        (
            "Agreement to establish a permanent Forum Secretariat in Seoul (opened 2017)",
            "서울에 상설 포럼 사무국 설립 합의 (2017년 출범)",
            "Решение о создании постоянного Секретариата Форума в Сеуле (открыт в 2017 году)",
        ),
        "https://www.sggpnews.org.vn/international/s-korea-central-asian-countries-to-launch-secretariat-for-tighter-cooperation-46789.html",
    ),
    (
        12,
        2019,
        "2019-10-16",
        "KZ",
        ("Nur-Sultan (Astana)", "누르술탄(아스타나)", "Нур-Султан (Астана)"),
        (
            "Water resources management, technical standardisation, green energy and information technology",
            "수자원 관리, 기술 표준화, 녹색 에너지, 정보기술",
            "Управление водными ресурсами, техническая стандартизация, зелёная энергетика и информационные технологии",
        ),
        "http://www.newscentralasia.net/2019/10/17/kazakhstan-hosts-the-ministerial-forum-central-asia-republic-of-korea/",
    ),
    (
        14,
        2021,
        "2021-11-30",
        "TJ",
        ("Dushanbe", "두샨베", "Душанбе"),
        (
            "Korea–Central Asia cooperation for post-COVID-19 economic recovery",
            "코로나19 이후 경제 회복을 위한 한·중앙아 협력",
            "Сотрудничество Кореи и Центральной Азии для восстановления экономики после COVID-19",
        ),
        "https://www.asiaplustj.info/en/news/tajikistan/politics/20211201/tajik-capital-hosts-the-14th-central-asia-the-republic-of-korea-cooperation-forum",
    ),
    (
        15,
        2022,
        "2022-10-25",
        "KR",
        ("Busan", "부산", "Пусан"),
        (
            "Korea–Central Asia: a joint journey to a better future",
            "한·중앙아: 더 나은 미래를 향한 동행",
            "Корея – Центральная Азия: совместный путь к лучшему будущему",
        ),
        "https://www.newscentralasia.net/2022/10/26/top-diplomats-from-korea-and-central-asian-countries-held-the-15th-cooperation-forum/",
    ),
    (
        17,
        2024,
        "2024-11-04",
        "KR",
        ("Seoul", "서울", "Сеул"),
        (
            "Transport and logistics, energy, digital transformation and ecology; Secretariat work plan for 2025 adopted",
            "교통·물류, 에너지, 디지털 전환, 생태; 2025년 사무국 사업계획 채택",
            "Транспорт и логистика, энергетика, цифровая трансформация и экология; принят план работы Секретариата на 2025 год",
        ),
        "https://sr-center.info/en/news/-17th-forum-of-cooperation-central-asia-the-republic-of-korea-key-aspects-and-prospects-for-the-middle-corridor-cooperation-experience-for-the-caucasus",
    ),
]

# The Secretariat's work plans known from public reports: year, the Forum session (number) that
# adopted it, title (en, ko, ru), priority areas as (title (en, ko, ru), cooperation field codes).
WORK_PLANS = [
    (
        2022,
        15,
        ("Secretariat work plan 2022", "2022년 사무국 사업계획", "План работы Секретариата на 2022 год"),
        [
            (("Transport and logistics", "교통·물류", "Транспорт и логистика"), ["transport-logistics"]),
            (("Energy", "에너지", "Энергетика"), ["energy"]),
            (
                ("Industrial modernisation", "산업 현대화", "Модернизация промышленности"),
                ["high-tech-it", "construction", "textiles"],
            ),
            (("Climate and environment", "기후·환경", "Климат и окружающая среда"), ["climate-environment"]),
            (("Health", "보건", "Здравоохранение"), ["health"]),
            (
                ("Education, culture and tourism", "교육·문화·관광", "Образование, культура и туризм"),
                ["education", "culture", "tourism"],
            ),
        ],
    ),
]
