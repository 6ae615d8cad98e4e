"""Names that denote one entity: organisations, news outlets and countries with their aliases.

Shared by the entity finder (`claims/entities.py`: canonical names, outlets told apart from
other organisations) and the edits of a trace (`trace/aliases.py`: renaming an entity is not a
factual change). Keys are canonical names; aliases are matched case-sensitively in text ("'"
also matches "’").
"""

from __future__ import annotations

# Canonical name -> aliases (case-sensitive in text; "'" also matches "’").
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "Islamic State": (
        "Islamic State", "Islamic State group", "IS", "ISIS", "ISIL", "Daesh", "Da'esh",
        "Daech", "Islamic State of Iraq and the Levant", "Islamic State of Iraq and Syria",
        "Islamic State in Iraq and Syria", "Islamic State in Iraq and the Levant",
    ),
    "Syrian Observatory for Human Rights": (
        "Syrian Observatory for Human Rights", "Syrian Observatory", "SOHR",
    ),
    "Syrian Democratic Forces": ("Syrian Democratic Forces", "SDF"),
    "People's Protection Units": (
        "People's Protection Units", "Peoples' Protection Units", "YPG",
        "Kurdish People's Protection Units", "Kurdish Peoples' Protection Units",
    ),
    "Kurdistan Workers' Party": ("Kurdistan Workers' Party", "Kurdistan Workers Party", "PKK"),
    "Hezbollah": ("Hezbollah", "Hizbollah", "Hizballah", "Hizbullah"),
    "al-Qaeda": ("al-Qaeda", "al Qaeda", "Al Qaeda", "Al-Qaeda", "al-Qaida", "Al-Qaida"),
    "Nusra Front": ("Nusra Front", "al-Nusra Front", "Jabhat al-Nusra"),
    "Hayat Tahrir al-Sham": ("Hayat Tahrir al-Sham", "HTS"),
    "Free Syrian Army": ("Free Syrian Army", "FSA"),
    "Popular Mobilisation Forces": (
        "Popular Mobilisation Forces", "Popular Mobilization Forces", "PMF", "Hashd al-Shaabi",
    ),
    "Combined Joint Task Force - Operation Inherent Resolve": (
        "Combined Joint Task Force Operation Inherent Resolve", "Operation Inherent Resolve",
        "CJTF-OIR",
    ),
    "United Nations": ("United Nations", "UN", "U.N."),
    "European Union": ("European Union", "EU", "E.U."),
    "NATO": ("NATO", "North Atlantic Treaty Organization"),
    "International Committee of the Red Cross": (
        "International Committee of the Red Cross", "ICRC", "Red Cross",
    ),
    "Human Rights Watch": ("Human Rights Watch", "HRW"),
    "Amnesty International": ("Amnesty International", "Amnesty"),
}  # fmt: skip

OUTLETS: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "Associated Press": ("Associated Press", "The Associated Press", "AP"),
    "Agence France-Presse": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "Anadolu Agency": ("Anadolu Agency", "Anadolu"),
    "SANA": ("SANA", "Syrian Arab News Agency"),
    "Hawar News Agency": ("Hawar News Agency", "ANHA"),
    "Xinhua": ("Xinhua",), "TASS": ("TASS", "Tass"), "RIA Novosti": ("RIA Novosti",),
    "Interfax": ("Interfax",), "EFE": ("EFE",), "dpa": ("DPA",), "ANSA": ("ANSA",),
    "Kyodo": ("Kyodo",), "Yonhap": ("Yonhap",), "UPI": ("UPI", "United Press International"),
    "IRNA": ("IRNA",), "Tasnim": ("Tasnim",), "Fars": ("Fars",), "Press TV": ("Press TV",),
    "Bloomberg": ("Bloomberg",), "BBC": ("BBC",), "CNN": ("CNN",), "Fox News": ("Fox News",),
    "Al Jazeera": ("Al Jazeera", "Al-Jazeera"), "Al Arabiya": ("Al Arabiya", "Al-Arabiya"),
    "Sky News": ("Sky News",), "France 24": ("France 24",),
    "Deutsche Welle": ("Deutsche Welle", "DW"), "RT": ("RT",), "Sputnik": ("Sputnik",),
    "NPR": ("NPR",), "NBC News": ("NBC News", "NBC"), "ABC News": ("ABC News",),
    "CBS News": ("CBS News", "CBS"), "MSNBC": ("MSNBC",),
    "Voice of America": ("Voice of America", "VOA"),
    "The New York Times": ("The New York Times", "New York Times"),
    "The Washington Post": ("The Washington Post", "Washington Post"),
    "The Wall Street Journal": ("The Wall Street Journal", "Wall Street Journal"),
    "The Guardian": ("The Guardian",), "Financial Times": ("Financial Times",),
    "The Economist": ("The Economist",), "Le Monde": ("Le Monde",), "Der Spiegel": ("Der Spiegel",),
    "Haaretz": ("Haaretz",), "Rudaw": ("Rudaw",), "Kurdistan 24": ("Kurdistan 24",),
    "Daily Sabah": ("Daily Sabah",), "Asharq Al-Awsat": ("Asharq Al-Awsat",),
    "Politico": ("Politico",), "Axios": ("Axios",), "Newsweek": ("Newsweek",),
    "USA Today": ("USA Today",), "Los Angeles Times": ("Los Angeles Times",),
    "Radio Free Europe": ("Radio Free Europe", "RFE/RL"),
}  # fmt: skip

# Countries reported under names that neither spelling nor initials connect ("Britain" / "UK").
COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America"),
    "United Kingdom": ("UK", "U.K.", "Britain", "Great Britain"),
    "Netherlands": ("Holland", "The Netherlands"),
    "United Arab Emirates": ("UAE", "U.A.E.", "Emirates"),
    "Russia": ("Russian Federation",),
    "Czech Republic": ("Czechia",),
    "Ivory Coast": ("Cote d'Ivoire", "Côte d'Ivoire"),
    "Myanmar": ("Burma",),
    "Eswatini": ("Swaziland",),
    "North Korea": ("DPRK", "Democratic People's Republic of Korea"),
    "South Korea": ("Republic of Korea", "ROK"),
    "Democratic Republic of Congo": ("DRC", "DR Congo", "Democratic Republic of the Congo"),
    "Vatican": ("Holy See", "Vatican City"),
}
