"""The fixed material of the demo coalition: places, issue topics, organisations, tables and the
names people in the Twin Cities write. Everything here is fictional except the geography; used only
by `directory/demo.py`."""

from __future__ import annotations

from django.utils.translation import gettext_noop

COALITION_NAME = "Riverbend Regional Equity Alliance"

# (slug, name, kind, parent slug, official code). Counties carry their FIPS codes.
PLACES: list[tuple[str, str, str, str | None, str]] = [
    ("minnesota", "Minnesota", "state", None, "27"),
    ("twin-cities-metro", "Twin Cities seven-county metro", "region", "minnesota", ""),
    ("anoka-county", "Anoka County", "county", "twin-cities-metro", "27003"),
    ("carver-county", "Carver County", "county", "twin-cities-metro", "27019"),
    ("dakota-county", "Dakota County", "county", "twin-cities-metro", "27037"),
    ("hennepin-county", "Hennepin County", "county", "twin-cities-metro", "27053"),
    ("ramsey-county", "Ramsey County", "county", "twin-cities-metro", "27123"),
    ("scott-county", "Scott County", "county", "twin-cities-metro", "27139"),
    ("washington-county", "Washington County", "county", "twin-cities-metro", "27163"),
    ("minneapolis", "Minneapolis", "city", "hennepin-county", "2743000"),
    ("saint-paul", "Saint Paul", "city", "ramsey-county", "2758000"),
    ("brooklyn-park", "Brooklyn Park", "city", "hennepin-county", ""),
    ("bloomington", "Bloomington", "city", "hennepin-county", ""),
    ("richfield", "Richfield", "city", "hennepin-county", ""),
    ("burnsville", "Burnsville", "city", "dakota-county", ""),
    ("cedar-riverside", "Cedar-Riverside", "neighborhood", "minneapolis", ""),
    ("phillips", "Phillips", "neighborhood", "minneapolis", ""),
    ("powderhorn", "Powderhorn", "neighborhood", "minneapolis", ""),
    ("north-minneapolis", "North Minneapolis", "neighborhood", "minneapolis", ""),
    ("frogtown", "Frogtown (Thomas-Dale)", "neighborhood", "saint-paul", ""),
    ("rondo", "Rondo", "neighborhood", "saint-paul", ""),
    ("east-side-saint-paul", "East Side (Saint Paul)", "neighborhood", "saint-paul", ""),
    ("midway", "Midway", "neighborhood", "saint-paul", ""),
    ("lake-street", "Lake Street corridor", "corridor", "minneapolis", ""),
    ("green-line", "Green Line / University Avenue corridor", "corridor", "twin-cities-metro", ""),
    ("blue-line-extension", "Blue Line Extension corridor", "corridor", "hennepin-county", ""),
    ("west-broadway", "West Broadway corridor", "corridor", "minneapolis", ""),
]

ISSUES: list[tuple[str, str]] = [
    ("housing", gettext_noop("Housing")),
    ("transit", gettext_noop("Transit")),
    ("workforce", gettext_noop("Workforce")),
    ("small-business", gettext_noop("Small business")),
    ("climate", gettext_noop("Climate")),
    ("health", gettext_noop("Health")),
    ("land-use", gettext_noop("Land use")),
    ("education", gettext_noop("Education")),
    ("immigration", gettext_noop("Immigration")),
    ("environmental-justice", gettext_noop("Environmental justice")),
    ("food-access", gettext_noop("Food access")),
    ("digital-access", gettext_noop("Digital access")),
    ("childcare", gettext_noop("Childcare")),
    ("public-safety", gettext_noop("Public safety")),
    ("arts-culture", gettext_noop("Arts and culture")),
    ("civic-participation", gettext_noop("Civic participation")),
]

# The languages organisations serve and people ask to be contacted in.
COMMUNITY_LANGUAGES: dict[str, list[str]] = {"somali": ["so", "en"], "hmong": ["hmn", "en"],
                                             "latinx": ["es", "en"], "black": ["en"],
                                             "vietnamese": ["vi", "en"], "karen": ["kar", "en"],
                                             "oromo": ["om", "en"], "native": ["en"], "white": ["en"],
                                             "multi": ["en", "es", "so", "hmn"]}
INTERPRETATION = {"so": "Somali", "hmn": "Hmong", "es": "Spanish", "kar": "Karen (S'gaw)",
                  "om": "Oromo (Afaan Oromoo)", "vi": "Vietnamese"}

# (name, kind, community, home place slug, issue slugs, one-line description). All fictional.
ORGANIZATIONS: list[tuple[str, str, str, str, list[str], str]] = [
    (COALITION_NAME, "coalition", "multi", "twin-cities-metro",
     ["civic-participation", "housing", "transit"],
     "The coalition's backbone: staff, the values text and the shared plan."),
    ("Cedar Bluff Somali Mothers' Circle", "informal", "somali", "cedar-riverside", ["health", "education"],
     "Mothers meeting weekly about schools, clinics and safe places for children to play."),
    ("Dayton's Bluff Hmong Elders Council", "cultural", "hmong", "east-side-saint-paul",
     ["health", "civic-participation"],
     "Elders who keep clan networks connected and speak for elders at city hearings."),
    ("Lake Street Mercado Owners Guild", "business", "latinx", "lake-street", ["small-business", "land-use"],
     "Stall and shop owners of an indoor market rebuilding after 2020."),
    ("Northside Tenants United", "tenant", "black", "north-minneapolis", ["housing", "public-safety"],
     "Tenants in North Minneapolis organising building by building for repairs and fair rents."),
    ("Frogtown Green Futures", "nonprofit", "hmong", "frogtown", ["climate", "land-use", "food-access"],
     "Turning vacant lots into gardens and tree canopy, led by neighbours."),
    ("Oromo Community Bridge", "nonprofit", "oromo", "saint-paul", ["immigration", "workforce"],
     "Citizenship classes, job coaching and interpreters for Oromo families."),
    ("Karen Family Resource Network", "nonprofit", "karen", "saint-paul", ["health", "education"],
     "Family navigators who help Karen households with clinics, schools and benefits."),
    ("University Avenue Vietnamese Merchants Association", "business", "vietnamese", "green-line",
     ["small-business", "transit"], "Restaurants, groceries and salons along University Avenue."),
    ("Phillips Indigenous Food Sovereignty Project", "nonprofit", "native", "phillips",
     ["food-access", "health"],
     "Traditional foods, a community kitchen and a seed library in the Phillips neighbourhood."),
    ("Rondo Porchlight Housing Cooperative", "nonprofit", "black", "rondo", ["housing", "land-use"],
     "Keeping homes in the Rondo neighbourhood in the hands of families who live there."),
    ("Brooklyn Park West African Women's Network", "nonprofit", "black", "brooklyn-park",
     ["workforce", "health"],
     "Liberian, Nigerian and Ghanaian women supporting each other's businesses and careers."),
    ("Southside Worker Center", "labor", "latinx", "powderhorn", ["workforce", "immigration"],
     "Wage-theft clinics and safety trainings for construction and cleaning workers."),
    ("Home Care Workers Local 417", "labor", "multi", "twin-cities-metro", ["workforce", "health"],
     "A union of personal care attendants and home health aides."),
    ("New Covenant Missionary Baptist Church", "faith", "black", "north-minneapolis",
     ["housing", "public-safety"],
     "A congregation with a food shelf, a housing ministry and a Saturday youth program."),
    ("Crosstown Islamic Center Outreach Committee", "faith", "somali", "minneapolis",
     ["food-access", "education"],
     "The outreach arm of a mosque: a food shelf, tutoring and a funeral fund."),
    ("Iglesia Luz del Valle", "faith", "latinx", "east-side-saint-paul", ["immigration", "housing"],
     "A Spanish-speaking congregation on the East Side with a legal-aid night."),
    ("Vermillion River Hmong Growers Cooperative", "business", "hmong", "dakota-county",
     ["food-access", "small-business", "land-use"],
     "Hmong farm families sharing land, a wash station and market stalls."),
    ("Midway Youth Media Lab", "nonprofit", "multi", "midway", ["education", "arts-culture"],
     "Teenagers making radio, podcasts and short films about their neighbourhood."),
    ("Blue Line Neighbors for Fair Development", "coalition", "black", "blue-line-extension",
     ["transit", "land-use", "housing"],
     "Residents along the Blue Line Extension asking who the new line is for."),
    ("East Metro Disability Justice Collective", "nonprofit", "white", "ramsey-county", ["health", "transit"],
     "Disabled organisers working on accessible transit and housing."),
    ("Somali Small Business Alliance", "business", "somali", "lake-street", ["small-business"],
     "Shop owners from the malls along Lake Street and Cedar Avenue."),
    ("Eastside Karen Youth Soccer League", "informal", "karen", "east-side-saint-paul",
     ["arts-culture", "education"], "Volunteer coaches and four hundred young players every summer."),
    ("Anoka County Renters' Voice", "tenant", "white", "anoka-county", ["housing"],
     "Renters in manufactured-home parks and suburban apartments."),
    ("Washington County Faith Coalition for Housing", "faith", "white", "washington-county", ["housing"],
     "Congregations pressing for affordable homes in the eastern suburbs."),
    ("Scott County Latino Families Network", "nonprofit", "latinx", "scott-county", ["education", "health"],
     "Parents organising for interpreters and bilingual staff in schools."),
    ("Carver County Immigrant Welcome Center", "nonprofit", "multi", "carver-county",
     ["immigration", "workforce"], "English classes, rides and a welcome desk for newcomers."),
    ("Burnsville Oromo Youth Association", "informal", "oromo", "burnsville", ["education", "arts-culture"],
     "Students running homework nights, a dance troupe and college visits."),
    ("Richfield Vecinos Unidos", "tenant", "latinx", "richfield", ["housing", "civic-participation"],
     "Tenant committees in large apartment complexes along the freeway."),
    ("West Broadway Black Business Network", "business", "black", "west-broadway",
     ["small-business", "workforce"], "Black-owned shops, barbers and restaurants along West Broadway."),
    ("Powderhorn Arts & Healing Collective", "cultural", "multi", "powderhorn", ["arts-culture", "health"],
     "Artists and healers using murals, music and circles after trauma."),
    ("Twin Cities Vietnamese Elders Association", "cultural", "vietnamese", "saint-paul",
     ["health", "civic-participation"], "Elders' lunches, Tết celebrations and help with Medicare forms."),
    ("Dakota Land & Water Keepers", "nonprofit", "native", "dakota-county",
     ["climate", "land-use", "environmental-justice"],
     "Native-led stewardship of rivers and sacred sites south of the cities."),
    ("South Minneapolis Ojibwe Language Table", "cultural", "native", "phillips",
     ["arts-culture", "education"], "A weekly table where speakers and learners meet over soup."),
    ("Cedar-Riverside Youth Homework Hub", "nonprofit", "somali", "cedar-riverside",
     ["education", "digital-access"], "After-school tutoring in the towers, with laptops to borrow."),
    ("Frogtown Hmong Women's Sewing Circle", "informal", "hmong", "frogtown",
     ["arts-culture", "small-business"],
     "Paj ntaub stitchers teaching the next generation and selling at markets."),
    ("Saint Paul Transit Riders Union", "coalition", "multi", "saint-paul", ["transit"],
     "Bus and train riders who want frequent, safe and affordable service."),
    ("Northside Environmental Justice Committee", "nonprofit", "black", "north-minneapolis",
     ["environmental-justice", "climate", "health"],
     "Neighbours fighting polluting sites and asthma on the Northside."),
    ("Community Health Workers Guild", "labor", "multi", "twin-cities-metro", ["health", "workforce"],
     "Community health workers setting training and pay standards together."),
    ("Lake Street Neighbourhood Recovery Fund", "nonprofit", "latinx", "lake-street",
     ["small-business", "land-use"], "A community fund making small grants and loans to rebuild the street."),
    ("Bloomington Somali Parents Association", "informal", "somali", "bloomington", ["education"],
     "Parents meeting with the district about interpreters and halal lunches."),
    ("Karen Baptist Fellowship of Ramsey County", "faith", "karen", "ramsey-county",
     ["immigration", "health"], "A church family of Karen and Karenni households."),
    ("Hmong Veterans' Family Circle", "cultural", "hmong", "saint-paul", ["health", "civic-participation"],
     "Families of Secret War veterans keeping their history and looking after elders."),
    ("Minneapolis Digital Access Collaborative", "nonprofit", "multi", "minneapolis",
     ["digital-access", "education"],
     "Refurbished computers, home internet sign-ups and classes in five languages."),
    ("Eastside Childcare Providers Network", "business", "multi", "east-side-saint-paul",
     ["childcare", "small-business", "workforce"],
     "Family childcare providers sharing training, meals and subs."),
    ("Phillips Corridor Cleanup Crew", "informal", "multi", "phillips", ["environmental-justice"],
     "Monthly clean-ups, tool lending and complaints about illegal dumping."),
    ("Oromo Women's Empowerment Circle", "nonprofit", "oromo", "minneapolis", ["workforce", "health"],
     "Savings circles, driving lessons and a mentoring program for Oromo women."),
    ("Casa Comunitaria del Sur", "nonprofit", "latinx", "powderhorn", ["immigration", "health"],
     "A community house with a clinic night, ESL and know-your-rights trainings."),
    ("Sankofa Homeownership Collaborative", "nonprofit", "black", "north-minneapolis", ["housing"],
     "Down-payment coaching and a lease-to-own program for Black families."),
    ("Green Line Artists' Cooperative", "cultural", "multi", "green-line", ["arts-culture", "small-business"],
     "Studios and a shared storefront for artists along the Green Line."),
    ("Dakota County Transit Equity Riders", "coalition", "multi", "dakota-county", ["transit"],
     "Suburban riders asking for evening and weekend service to jobs."),
    ("Vietnamese Nail Salon Workers Alliance", "labor", "vietnamese", "twin-cities-metro",
     ["workforce", "health"], "Salon workers organising for ventilation, safer products and fair pay."),
    ("Somali Elders Wellness Circle", "informal", "somali", "cedar-riverside", ["health"],
     "Walking groups, diabetes classes and tea for elders."),
    ("Native Youth Canoe Project", "nonprofit", "native", "minneapolis", ["arts-culture", "climate"],
     "Young people building birchbark canoes and paddling the Mississippi."),
    ("Karen Community Farm at the River", "informal", "karen", "saint-paul", ["food-access", "land-use"],
     "Forty families growing rice-paddy greens, chillies and long beans."),
    ("Hennepin Small Landlords for Fair Housing", "business", "white", "hennepin-county", ["housing"],
     "Owners of duplexes and small buildings who back tenant protections."),
    ("Lutheran Social Justice Circle", "faith", "white", "minneapolis", ["immigration", "housing"],
     "Members of several congregations accompanying families to court and housing hearings."),
    ("Building Trades Pathways", "labor", "multi", "twin-cities-metro", ["workforce"],
     "Pre-apprenticeship classes opening union construction jobs to BIPOC workers."),
    ("Midway Mutual Aid Pantry", "informal", "multi", "midway", ["food-access"],
     "A volunteer pantry and fridge, open every day, no questions asked."),
    ("Twin Cities Latinx Climate Collective", "nonprofit", "latinx", "minneapolis",
     ["climate", "environmental-justice"],
     "Home energy audits, heat-wave check-ins and climate organising in Spanish."),
    ("Hmong Youth Leadership Academy", "nonprofit", "hmong", "saint-paul",
     ["education", "civic-participation"],
     "Civic leadership cohorts for Hmong high-school and college students."),
]

# (name, convenor index in ORGANIZATIONS, issue slugs, place slugs, visibility, description)
TABLES: list[tuple[str, int, list[str], list[str], str, str]] = [
    ("Green Line Corridor Table", 8, ["transit", "small-business", "land-use"],
     ["green-line", "midway", "frogtown"], "public",
     "Businesses and residents along University Avenue keeping the corridor affordable."),
    ("Lake Street Recovery Table", 39, ["small-business", "land-use"],
     ["lake-street", "phillips", "powderhorn"], "public",
     "Rebuilding Lake Street with the owners and tenants who were there before."),
    ("Blue Line Anti-Displacement Table", 19, ["housing", "transit", "land-use"],
     ["blue-line-extension", "north-minneapolis", "brooklyn-park"], "members",
     "Anti-displacement commitments before the Blue Line Extension is built."),
    ("Workforce Pathways Table", 57, ["workforce"], ["twin-cities-metro"], "members",
     "Pre-apprenticeships, worker centres and unions opening good jobs."),
    ("Housing Stability Table", 4, ["housing"], ["minneapolis", "saint-paul", "anoka-county", "richfield"],
     "public", "Tenant protections, repairs and community ownership."),
    ("Climate & Health Justice Table", 37, ["climate", "health", "environmental-justice"],
     ["north-minneapolis", "phillips", "frogtown"], "members",
     "Air quality, heat and tree canopy where asthma rates are highest."),
    ("Small Business Resilience Table", 21, ["small-business"],
     ["lake-street", "west-broadway", "green-line"], "members",
     "Shared back-office help, lending circles and commercial rent stabilisation."),
    ("East Side Land & Food Table", 5, ["food-access", "land-use"],
     ["east-side-saint-paul", "frogtown", "dakota-county"], "table",
     "Gardens, farms and land access for growers of colour; notes shared only with participants."),
]

ROLES = ["Organizer", "Executive Director", "Program manager", "Volunteer", "Board chair", "Board member",
         "Youth organizer", "Community health worker", "Outreach coordinator", "Member", "Owner", "Pastor",
         "Steward", "Coordinator", "Interpreter", "Treasurer"]

ACCOMMODATIONS = ["Wheelchair-accessible room", "Childcare during meetings", "Large-print materials",
                  "CART captioning", "A quiet room for breaks", "Meetings after 6 pm (works days)",
                  "Halal food", "A ride to meetings", "Materials a week ahead",
                  "Seating near the front (hard of hearing)", ""]

# Names by community, as people write them (see demo_plan.NameMaker for the patterns).
SOMALI_F = ["Hodan", "Fadumo", "Hibaaq", "Sahra", "Ifrah", "Nasra", "Muna", "Ayaan", "Deeqa", "Hamdi", "Ubah",
            "Khadra", "Idil", "Ruqia", "Sagal", "Nimco", "Asli", "Maryan", "Hawa", "Farhiya", "Samsam",
            "Zamzam"]
SOMALI_M = ["Abdirahman", "Mohamed", "Abdullahi", "Hassan", "Ahmed", "Farhan", "Mahad", "Said", "Khadar",
            "Abdiwali", "Liban", "Ismail", "Yusuf", "Abdikadir", "Mustafe", "Guled", "Omar", "Bashir",
            "Hamza"]
SOMALI_FATHER = ["Warsame", "Jama", "Farah", "Hersi", "Egal", "Nur", "Aden", "Osman", "Ali", "Dahir",
                 "Mohamud", "Abdi", "Duale", "Yusuf", "Gedi", "Ibrahim", "Hussein", "Omar", "Samatar", "Elmi",
                 "Abdulle"]
# The Somali Latin alphabet (c for ʿayn, x for ħ): some people write their names this way.
SOMALI_LATIN = {"Abdirahman": "Cabdiraxmaan", "Mohamed": "Maxamed", "Hassan": "Xasan", "Ahmed": "Axmed",
                "Abdullahi": "Cabdullaahi", "Ali": "Cali", "Abdi": "Cabdi", "Mohamud": "Maxamuud",
                "Hussein": "Xuseen", "Omar": "Cumar", "Fadumo": "Faadumo", "Hawa": "Xaawa", "Nasra": "Nasra",
                "Ibrahim": "Ibraahim", "Osman": "Cismaan", "Abdulle": "Cabdulle", "Hodan": "Hodan"}

HMONG_CLANS = ["Vang", "Xiong", "Yang", "Lee", "Her", "Thao", "Moua", "Vue", "Lor", "Chang", "Khang", "Hang",
               "Kue", "Cha", "Lo", "Ly"]
HMONG_RPA = {"Vang": "Vaj", "Xiong": "Xyooj", "Yang": "Yaj", "Lee": "Lis", "Her": "Hawj", "Thao": "Thoj",
             "Moua": "Muas", "Vue": "Vwj", "Lor": "Lauj", "Chang": "Tsaab", "Khang": "Khab", "Hang": "Ham",
             "Kue": "Kwm", "Cha": "Tsab", "Lo": "Lauj", "Ly": "Lis"}
HMONG_F = ["Pa Nhia", "Kao", "Mai Nou", "Bao", "Shoua", "Pa Houa", "Ka Bao", "Xee", "Choua", "Mai Yer", "Nou",
           "Kia", "Mai Kou", "Youa", "Der", "Pang", "Mai Vang", "Sheng", "Dao"]
HMONG_M = ["Chue", "Tou", "Fue", "Yia", "Tong", "Kou", "Nhia", "Pao", "Cher", "Xai", "Kong", "Blong", "Neng",
           "Lue", "Meng", "Tou Ger", "Ger", "Sai", "Kou Lee"]

LATINX_F = ["María José", "Guadalupe", "Alejandra", "Verónica", "Ana Lucía", "Rocío", "Marisol", "Yesenia",
            "Claudia", "Daniela", "Itzel", "Xóchitl", "Beatriz", "Lucía", "Maricela", "Esperanza", "Noemí"]
LATINX_M = ["José Luis", "Juan Carlos", "Jesús", "Óscar", "Alejandro", "Miguel Ángel", "Francisco", "Luis",
            "Héctor", "Ramón", "Efraín", "Rigoberto", "Andrés", "Joaquín", "Santiago", "Iván"]
LATINX_SURNAMES = ["García", "López", "Hernández", "Martínez", "Rodríguez", "González", "Pérez", "Sánchez",
                   "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Reyes",
                   "Ortiz", "Gutiérrez", "Chávez", "Vázquez", "Castillo", "Jiménez", "Ruiz", "Mendoza",
                   "Aguilar", "Quiñones", "Peña", "Muñoz", "Ibáñez", "de la Cruz", "Del Valle"]
LATINX_NICKNAMES = {"Guadalupe": "Lupe", "Francisco": "Paco", "Jesús": "Chuy", "María José": "Majo",
                    "Alejandra": "Ale", "José Luis": "Pepe", "Alejandro": "Alex", "Esperanza": "Espe"}

BLACK_F = ["Keisha", "Tamika", "Jasmine", "LaToya", "Imani", "Nia", "Aaliyah", "Shanice", "Monique", "Denise",
           "Ebony", "Tiana", "Brianna", "Kiara", "Octavia", "Deja", "Faith", "Gloria"]
BLACK_M = ["DeShawn", "Marcus", "Andre", "Darnell", "Terrence", "Jamal", "Malik", "Tyrone", "Reginald",
           "Cedric", "Dwayne", "Xavier", "Isaiah", "Jerome", "Kendrick", "D'Andre", "Curtis"]
BLACK_SURNAMES = ["Washington", "Jackson", "Johnson", "Williams", "Robinson", "Harris", "Coleman", "Franklin",
                  "Brooks", "Jefferson", "Bell", "Hayes", "Freeman", "Banks", "Mitchell", "Turner", "Simmons",
                  "Gaines", "Tate", "Booker", "Okafor", "Mensah", "Kollie", "Toe"]

VIET_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
VIET_MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim"]
VIET_MIDDLE_M = ["Văn", "Minh", "Quốc", "Đức", "Hữu"]
VIET_F = ["Lan", "Hoa", "Mai", "Linh", "Hương", "Trang", "Thảo", "Ngân", "Phương", "Hạnh", "Vy", "Yến"]
VIET_M = ["Hùng", "Minh", "Tuấn", "Dũng", "Khang", "Long", "Nam", "Phúc", "Bảo", "Quang", "Thắng", "Huy"]
VIET_ENGLISH = {"f": ["Jenny", "Tina", "Christine", "Amy", "Linda"],
                "m": ["Kevin", "Peter", "Tony", "David", "Danny"]}

KAREN_SYLLABLES = ["Eh", "Htoo", "Paw", "Say", "Hser", "Nay", "Ler", "Moo", "Mu", "Lah", "Kler", "Wah",
                   "Blut", "Gay", "Doh", "Soe", "Ku", "Thaw", "Wei", "Hla", "Khu", "Poe", "Pree", "Baw",
                   "Dah", "Lay", "Ree", "Tha", "Gaw", "Nu", "K'Paw", "Shee"]

OROMO_F = ["Chaltu", "Lensa", "Hawi", "Ayantu", "Bontu", "Obse", "Gadise", "Ebise", "Sena", "Kuli", "Fayo",
           "Iftu", "Hirut", "Tigist", "Ikram", "Sabontu"]
OROMO_M = ["Tolosa", "Gemechu", "Abdi", "Obsa", "Fayisa", "Kedir", "Girma", "Dereje", "Lemma", "Gudina",
           "Jiru", "Boru", "Galgalo", "Ibsa", "Tesfaye", "Leta"]
OROMO_FATHER = ["Gemechu", "Tolosa", "Fayisa", "Dadi", "Gudeta", "Kebede", "Negasa", "Bekele", "Tufa", "Wako",
                "Jilo", "Hussein", "Mohammed", "Adem", "Guyo", "Regassa"]
# Qubee, the Oromo Latin alphabet, doubles long vowels: some people write their names this way.
OROMO_QUBEE = {"Chaltu": "Caaltuu", "Lensa": "Lensaa", "Gemechu": "Gammachuu", "Tolosa": "Tolosaa",
               "Hawi": "Hawwii", "Obsa": "Obsaa", "Fayisa": "Fayyisaa", "Bontu": "Bontuu",
               "Ayantu": "Ayyaantuu"}

NATIVE_F = ["Winona", "Tashina", "Jolene", "Marcie", "Autumn", "Rae", "Shawna", "Winter", "Tayla", "Kateri",
            "Danielle", "Raven", "Naomi"]
NATIVE_M = ["Waylon", "Ryan", "Shawn", "Cody", "Mato", "Dustin", "Tate", "Chaske", "Wambdi", "Jesse",
            "Nathan", "Bryce", "Dylan"]
NATIVE_SURNAMES = ["Thunder", "Whitebird", "LaPointe", "Fairbanks", "Kingbird", "Morrison", "Jourdain",
                   "Goodsky", "Cloud", "Blackwolf", "Two Bulls", "Redday", "Big Bear", "Desjarlais",
                   "Beaulieu", "Stands", "Roy", "Ironcloud", "Littlewolf", "Wind", "Strong"]

WHITE_F = ["Kristin", "Greta", "Megan", "Karen", "Ingrid", "Sarah", "Molly", "Heather", "Britt", "Anne",
           "Julie", "Emily", "Laura", "Solveig"]
WHITE_M = ["Erik", "Sven", "Tom", "Nils", "Peter", "Mike", "Dan", "Ryan", "Brian", "Luke", "Anders", "Joe",
           "Dave", "Matt"]
WHITE_SURNAMES = ["Olson", "Johnson", "Lindqvist", "Schmidt", "Anderson", "Berg", "Nelson", "O'Brien",
                  "Kowalski", "Mueller", "Peterson", "Larson", "Swenson", "Hanson", "Carlson", "Gustafson",
                  "Lindgren", "Dahl", "Kruse", "McCarthy", "Novak", "Sorensen"]

# Share of people from each community (sums to 1).
COMMUNITY_WEIGHTS = {"somali": 0.18, "hmong": 0.16, "latinx": 0.17, "black": 0.16, "vietnamese": 0.07,
                     "karen": 0.06, "oromo": 0.06, "native": 0.05, "white": 0.09}

# Words for generated organisation names at benchmark scale.
LARGE_ORG_COMMUNITY = {"somali": "Somali", "hmong": "Hmong", "latinx": "Latino", "black": "Black",
                       "vietnamese": "Vietnamese", "karen": "Karen", "oromo": "Oromo", "native": "Native",
                       "white": "Neighborhood", "multi": "Community"}
LARGE_ORG_NOUNS = ["Collective", "Circle", "Network", "Association", "Alliance", "Council", "Project",
                   "Center", "Cooperative", "Fund", "Union", "Guild", "Fellowship", "Partnership", "League",
                   "Committee"]
LARGE_ORG_FOCUS = ["Youth", "Women's", "Elders", "Tenants", "Workers", "Parents", "Business", "Health",
                   "Arts", "Farmers", "Riders", "Families", "Students", "Faith", "Climate", "Housing"]
