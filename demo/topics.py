"""Curated knowledge of the common organisms, keyed by the real typology names of export-structures.csv.

Each topic gives the detection keywords (seed 000: typologies are suggested from keywords found
in the title and description), how a citizen names the organism, the procedures they come for,
the channels they use and how often the demo should talk about it. Typologies absent from this
table get keywords drawn from their own name (keywords.py) and generic sentences (text.py).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    org: str  # how a citizen names it, with its article: « la CAF », « l'ANTS », « Pôle emploi »
    keywords: tuple[str, ...]
    # (title noun phrase, description verb phrase), e.g. ("Demande d'APL", "faire une demande d'APL")
    procedures: tuple[tuple[str, str], ...] = ()
    weight: float = 0.0  # share of generated experiences whose first typology is this one
    channels: dict[str, int] = field(default_factory=dict)  # channel value -> weight
    related: tuple[str, ...] = ()  # typologies often named together in one experience


DESK_PHONE = {"desk": 4, "phone": 3, "online": 2, "email": 1, "mail": 1}
ONLINE = {"online": 5, "account": 2, "phone": 1, "email": 1}

RETIREMENT_PROCEDURES = (
    ("Demande de retraite", "déposer ma demande de retraite"),
    ("Régularisation de carrière", "faire régulariser mon relevé de carrière"),
    ("Pension de réversion", "demander une pension de réversion"),
    ("Premier versement de la retraite", "percevoir le premier versement de ma pension de retraite"),
    ("Retraite progressive", "obtenir une retraite progressive"),
)
POLICE_PROCEDURES = (
    ("Dépôt de plainte", "porter plainte"),
    ("Main courante", "faire une main courante"),
    ("Vol de véhicule", "signaler le vol de mon véhicule"),
    ("Cambriolage", "porter plainte après un cambriolage"),
    ("Procuration de vote", "établir une procuration de vote"),
)
PREFECTURE_PROCEDURES = (
    ("Renouvellement du titre de séjour", "renouveler mon titre de séjour"),
    ("Demande de naturalisation", "déposer ma demande de naturalisation"),
    ("Récépissé de titre de séjour", "obtenir un récépissé de titre de séjour"),
    ("Échange de permis de conduire", "échanger mon permis de conduire étranger"),
    ("Carte grise", "obtenir la carte grise de mon véhicule"),
)
IDENTITY_PROCEDURES = (
    ("Carte grise", "faire la carte grise de mon véhicule d'occasion"),
    ("Permis de conduire", "obtenir mon permis de conduire"),
    ("Pré-demande de passeport", "faire une pré-demande de passeport"),
    ("Carte d'identité", "renouveler ma carte d'identité"),
)

TOPICS: dict[str, Topic] = {
    "CAF": Topic(
        org="la CAF",
        keywords=(
            "CAF",
            "caisse d'allocations familiales",
            "allocations familiales",
            "APL",
            "aide au logement",
            "aide personnalisée au logement",
            "RSA",
            "revenu de solidarité active",
            "prime d'activité",
            "AAH",
            "allocation aux adultes handicapés",
            "caf.fr",
            "quotient familial",
            "prime de naissance",
            "allocation de rentrée scolaire",
            "complément familial",
        ),
        procedures=(
            ("Demande d'APL", "faire une demande d'aide au logement"),
            ("Prime d'activité", "obtenir le versement de ma prime d'activité"),
            ("Déclaration trimestrielle du RSA", "faire ma déclaration trimestrielle de RSA"),
            ("Changement de situation", "déclarer un changement de situation familiale"),
            ("Allocation de rentrée scolaire", "percevoir l'allocation de rentrée scolaire"),
            ("Demande d'AAH", "déposer une demande d'AAH"),
            ("Indu réclamé par la CAF", "contester un indu sur mes allocations"),
        ),
        weight=12,
        channels={"account": 3, "phone": 3, "desk": 3, "online": 2, "mail": 1, "email": 1},
        related=("CPAM", "AGENCE POLE EMPLOI (APE)", "Structure France services"),
    ),
    "CPAM": Topic(
        org="la CPAM",
        keywords=(
            "CPAM",
            "assurance maladie",
            "carte Vitale",
            "ameli",
            "remboursement de soins",
            "feuille de soins",
            "arrêt maladie",
            "arrêt de travail",
            "indemnités journalières",
            "complémentaire santé solidaire",
            "médecin traitant",
            "affection longue durée",
        ),
        procedures=(
            ("Carte Vitale", "obtenir ma nouvelle carte Vitale"),
            ("Remboursement de soins", "me faire rembourser des soins"),
            ("Indemnités journalières", "percevoir mes indemnités journalières après un arrêt maladie"),
            ("Complémentaire santé solidaire", "demander la complémentaire santé solidaire"),
            ("Déclaration de médecin traitant", "déclarer mon médecin traitant"),
        ),
        weight=10,
        channels={"account": 3, "phone": 3, "desk": 2, "mail": 2, "email": 1},
        related=("CAF", "Agence retraite"),
    ),
    "CGSS Assurance Maladie": Topic(
        org="la CGSS",
        keywords=("CGSS", "caisse générale de sécurité sociale"),
        procedures=(("Remboursement de soins", "me faire rembourser des soins"),),
        weight=0.5,
        channels=DESK_PHONE,
    ),
    "CNAM": Topic(org="l'Assurance maladie", keywords=("CNAM", "caisse nationale de l'assurance maladie")),
    "Préfecture": Topic(
        org="la préfecture",
        keywords=(
            "préfecture",
            "titre de séjour",
            "carte de séjour",
            "récépissé",
            "naturalisation",
            "permis de conduire",
            "carte grise",
            "certificat d'immatriculation",
            "demande d'asile",
            "rendez-vous en préfecture",
        ),
        procedures=PREFECTURE_PROCEDURES,
        weight=9,
        channels={"desk": 4, "online": 3, "phone": 2, "email": 1, "mail": 1},
        related=("ANTS", "Sous-préfecture"),
    ),
    "Sous-préfecture": Topic(
        org="la sous-préfecture",
        keywords=("sous-préfecture", "sous-préfet"),
        procedures=PREFECTURE_PROCEDURES,
        weight=2,
        channels={"desk": 4, "online": 2, "phone": 2},
        related=("Préfecture",),
    ),
    "Service des Impôts des particuliers": Topic(
        org="le service des impôts des particuliers",
        keywords=(
            "impôts",
            "impôt sur le revenu",
            "déclaration de revenus",
            "prélèvement à la source",
            "taux de prélèvement",
            "avis d'imposition",
            "taxe d'habitation",
            "taxe foncière",
            "centre des finances publiques",
            "service des impôts des particuliers",
            "crédit d'impôt",
        ),
        procedures=(
            ("Déclaration de revenus", "corriger ma déclaration de revenus"),
            ("Prélèvement à la source", "modifier mon taux de prélèvement à la source"),
            ("Taxe foncière", "comprendre le montant de ma taxe foncière"),
            ("Remboursement d'impôt", "obtenir le remboursement d'un trop-perçu d'impôt"),
            ("Taxe d'habitation", "contester une taxe d'habitation sur ma résidence secondaire"),
            ("Avis d'imposition", "obtenir mon avis d'imposition"),
        ),
        weight=9,
        channels={"account": 4, "desk": 3, "phone": 3, "mail": 1},
        related=("Impots.gouv.fr", "Service des Impôts des entreprises", "Caisse régionale URSSAF"),
    ),
    "Impots.gouv.fr": Topic(
        org="le site impots.gouv.fr",
        keywords=("impots.gouv.fr", "espace particulier", "messagerie sécurisée", "déclaration en ligne"),
        procedures=(("Déclaration en ligne", "faire ma déclaration en ligne"),),
        weight=2,
        channels=ONLINE,
    ),
    "Service des Impôts des entreprises": Topic(
        org="le service des impôts des entreprises",
        keywords=("service des impôts des entreprises", "TVA", "cotisation foncière des entreprises", "CFE"),
        procedures=(
            ("Remboursement de crédit de TVA", "obtenir le remboursement d'un crédit de TVA"),
            ("Cotisation foncière des entreprises", "régulariser ma cotisation foncière des entreprises"),
        ),
        weight=2,
        channels={"account": 3, "phone": 2, "desk": 1},
    ),
    "Trésorerie": Topic(
        org="la trésorerie",
        keywords=("trésorerie", "trésor public", "facture de cantine", "titre exécutoire"),
        procedures=(("Paiement d'une facture", "régler une facture de cantine"),),
        weight=1,
        channels=DESK_PHONE,
    ),
    "Amendes.gouv.fr": Topic(org="le site amendes.gouv.fr", keywords=("amendes.gouv.fr", "paiement d'une amende")),
    "stationnement.gouv.fr": Topic(org="le site stationnement.gouv.fr", keywords=("forfait post-stationnement",)),
    "Timbres.impots.gouv.fr": Topic(org="le site des timbres fiscaux", keywords=("timbre fiscal",)),
    "Cadastre.gouv.fr": Topic(org="le site du cadastre", keywords=("cadastre", "plan cadastral")),
    "Ensap.gouv.fr": Topic(org="l'ENSAP", keywords=("ENSAP", "bulletin de paie dématérialisé")),
    "Retraitesdeletat.gouv.fr": Topic(org="le service des retraites de l'État", keywords=("retraite de l'État",)),
    "PayFip.gouv.fr": Topic(org="PayFip", keywords=("PayFip",)),
    "Service de publicité foncière": Topic(
        org="le service de publicité foncière", keywords=("publicité foncière", "hypothèque")
    ),
    "Numéro d’assistance des particuliers": Topic(
        org="le numéro d'assistance des impôts", keywords=("numéro d'assistance", "0809 401 401")
    ),
    "AGENCE POLE EMPLOI (APE)": Topic(
        org="Pôle emploi",
        keywords=(
            "Pôle emploi",
            "France Travail",
            "chômage",
            "allocation chômage",
            "aide au retour à l'emploi",
            "demandeur d'emploi",
            "actualisation",
            "conseiller Pôle emploi",
            "indemnisation chômage",
            "offre d'emploi",
        ),
        procedures=(
            ("Inscription comme demandeur d'emploi", "m'inscrire comme demandeur d'emploi"),
            ("Actualisation mensuelle", "faire mon actualisation mensuelle"),
            ("Calcul de l'allocation chômage", "comprendre le calcul de mon allocation chômage"),
            ("Accompagnement vers l'emploi", "être accompagné dans ma recherche d'emploi"),
            ("Financement d'une formation", "faire financer une formation"),
        ),
        weight=8,
        channels={"account": 3, "desk": 3, "phone": 2, "email": 2, "video": 1},
        related=("CAF", "CDC_compteformation"),
    ),
    "Agence retraite": Topic(
        org="l'agence retraite",
        keywords=(
            "retraite",
            "départ à la retraite",
            "pension de retraite",
            "relevé de carrière",
            "trimestres",
            "assurance retraite",
            "retraite de base",
            "ASPA",
            "pension de réversion",
        ),
        procedures=RETIREMENT_PROCEDURES,
        weight=5,
        channels={"desk": 3, "phone": 3, "account": 3, "mail": 2, "video": 1},
        related=("AGIRC-ARRCO", "Carsat"),
    ),
    "Carsat": Topic(
        org="la Carsat",
        keywords=("Carsat", "caisse d'assurance retraite et de la santé au travail"),
        procedures=RETIREMENT_PROCEDURES,
        weight=3,
        channels={"phone": 3, "account": 3, "mail": 2, "desk": 2},
        related=("AGIRC-ARRCO",),
    ),
    "CNAV": Topic(org="l'Assurance retraite", keywords=("CNAV", "caisse nationale d'assurance vieillesse")),
    "AGIRC-ARRCO": Topic(
        org="l'Agirc-Arrco",
        keywords=("Agirc-Arrco", "retraite complémentaire"),
        procedures=(("Retraite complémentaire", "liquider ma retraite complémentaire"),),
        weight=1,
        channels={"account": 2, "phone": 2, "mail": 1},
    ),
    "MSA": Topic(
        org="la MSA",
        keywords=("MSA", "mutualité sociale agricole", "exploitant agricole", "salarié agricole"),
        procedures=(
            ("Cotisations d'exploitant agricole", "comprendre mes cotisations d'exploitant agricole"),
            ("Retraite agricole", "déposer ma demande de retraite agricole"),
        ),
        weight=2,
        channels=DESK_PHONE,
    ),
    "COMMISSARIAT DE POLICE": Topic(
        org="le commissariat",
        keywords=(
            "commissariat",
            "police",
            "policier",
            "policière",
            "porter plainte",
            "dépôt de plainte",
            "plainte",
            "main courante",
            "cambriolage",
            "police nationale",
        ),
        procedures=POLICE_PROCEDURES,
        weight=5,
        channels={"desk": 5, "phone": 2, "patrol": 2, "social": 1},
        related=("Préfecture", "Pré-plainte en ligne (PPEL)"),
    ),
    "HOTEL DE POLICE": Topic(
        org="l'hôtel de police",
        keywords=("hôtel de police",),
        procedures=POLICE_PROCEDURES,
        weight=2,
        channels={"desk": 5, "phone": 2, "patrol": 1},
    ),
    "Pré-plainte en ligne (PPEL)": Topic(
        org="le service de pré-plainte en ligne",
        keywords=("pré-plainte", "pré-plainte en ligne"),
        procedures=(("Pré-plainte en ligne", "déposer une pré-plainte en ligne"),),
        weight=1,
        channels={"online": 5},
    ),
    "Opération tranquillité vacances (OTV)": Topic(
        org="l'opération tranquillité vacances", keywords=("tranquillité vacances",)
    ),
    "PHAROS": Topic(org="la plateforme Pharos", keywords=("Pharos", "contenu illicite")),
    "Moncommissariat.fr": Topic(org="le site moncommissariat.fr", keywords=("moncommissariat",)),
    "Groupement de gendarmerie départementale": Topic(
        org="la gendarmerie",
        keywords=("gendarmerie", "gendarme", "brigade de gendarmerie", "gendarmerie nationale"),
        procedures=(
            ("Dépôt de plainte", "porter plainte"),
            ("Opération tranquillité vacances", "m'inscrire à l'opération tranquillité vacances"),
            ("Accident de la route", "faire constater un accident"),
            ("Escroquerie sur internet", "signaler une escroquerie sur internet"),
        ),
        weight=4,
        channels={"desk": 4, "phone": 2, "patrol": 3, "social": 1},
    ),
    "Service en ligne Ma Sécurité": Topic(org="le service Ma Sécurité", keywords=("Ma Sécurité",)),
    "Service en ligne Perceval": Topic(org="Perceval", keywords=("Perceval", "fraude à la carte bancaire")),
    "Réseau consulaire": Topic(
        org="le consulat",
        keywords=(
            "consulat",
            "ambassade",
            "consulaire",
            "Français de l'étranger",
            "registre des Français établis hors de France",
            "inscription consulaire",
            "vote à l'étranger",
            "transcription",
        ),
        procedures=(
            ("Renouvellement de passeport", "renouveler mon passeport"),
            ("Carte d'identité à l'étranger", "faire refaire ma carte d'identité"),
            ("Inscription au registre des Français de l'étranger", "m'inscrire au registre des Français de l'étranger"),
            ("Transcription d'acte de naissance", "faire transcrire l'acte de naissance de mon enfant"),
            ("Vote par internet", "voter par internet aux élections"),
        ),
        weight=6,
        channels={"online": 3, "desk": 3, "email": 2, "phone": 1},
        related=("ANTS", "Service Central d'Etat Civil"),
    ),
    "France Consulaire": Topic(org="France Consulaire", keywords=("France Consulaire",)),
    "Service Central d'Etat Civil": Topic(
        org="le service central d'état civil",
        keywords=("service central d'état civil", "acte de naissance", "acte de mariage", "copie intégrale"),
        procedures=(("Copie d'acte de naissance", "obtenir une copie intégrale de mon acte de naissance"),),
        weight=1,
        channels={"online": 3, "mail": 2, "email": 1},
    ),
    "Ministère de l’Europe et des Affaires étrangères (MEAE)": Topic(
        org="le ministère de l'Europe et des Affaires étrangères",
        keywords=("ministère des Affaires étrangères", "vote par internet", "élections consulaires"),
    ),
    "ANTS": Topic(
        org="l'ANTS",
        keywords=(
            "ANTS",
            "Agence nationale des titres sécurisés",
            "carte nationale d'identité",
            "passeport",
            "carte grise",
            "permis de conduire",
            "pré-demande",
            "certificat d'immatriculation",
            "changement de titulaire",
        ),
        procedures=IDENTITY_PROCEDURES,
        weight=5,
        channels=ONLINE,
        related=("Préfecture", "Ville - Commune"),
    ),
    "Télépoint": Topic(org="le point numérique", keywords=("point numérique", "télépoint")),
    "ANTAI": Topic(
        org="l'ANTAI",
        keywords=(
            "ANTAI",
            "avis de contravention",
            "contravention",
            "radar",
            "excès de vitesse",
            "amende forfaitaire",
            "désignation du conducteur",
            "retrait de points",
        ),
        procedures=(
            ("Contestation d'une amende", "contester un avis de contravention"),
            ("Désignation du conducteur", "désigner le conducteur du véhicule"),
            ("Paiement d'une amende", "payer une amende forfaitaire"),
        ),
        weight=3,
        channels={"online": 4, "mail": 3, "phone": 1},
    ),
    "Candilib": Topic(org="Candilib", keywords=("Candilib", "examen du permis de conduire", "place d'examen")),
    "Services électoraux": Topic(
        org="le service des élections", keywords=("listes électorales", "inscription électorale")
    ),
    "Maprocuration.gouv.fr": Topic(org="Maprocuration", keywords=("procuration", "maprocuration")),
    "Ville - Commune": Topic(
        org="la mairie",
        keywords=(
            "mairie",
            "hôtel de ville",
            "état civil",
            "acte de naissance",
            "inscription sur les listes électorales",
            "urbanisme",
            "permis de construire",
            "carte d'identité",
        ),
        procedures=(
            ("Rendez-vous pour une carte d'identité", "prendre rendez-vous pour une carte d'identité"),
            ("Acte de naissance", "obtenir un acte de naissance"),
            ("Inscription scolaire", "inscrire mon enfant à l'école"),
            ("Permis de construire", "déposer un permis de construire"),
        ),
        weight=3,
        channels={"desk": 4, "phone": 2, "online": 2, "email": 1},
    ),
    "Collectivités territoriales - Départements": Topic(
        org="le conseil départemental",
        keywords=("conseil départemental", "allocation personnalisée d'autonomie", "APA", "PMI"),
        procedures=(("Allocation personnalisée d'autonomie", "demander l'allocation personnalisée d'autonomie"),),
        weight=1,
        channels=DESK_PHONE,
    ),
    "Caisse régionale URSSAF": Topic(
        org="l'Urssaf",
        keywords=(
            "URSSAF",
            "cotisations sociales",
            "micro-entrepreneur",
            "auto-entrepreneur",
            "déclaration de chiffre d'affaires",
            "appel de cotisations",
        ),
        procedures=(
            ("Cotisations de micro-entrepreneur", "régulariser mes cotisations de micro-entrepreneur"),
            ("Création d'entreprise", "déclarer la création de mon entreprise"),
            ("Remboursement de cotisations", "obtenir le remboursement d'un trop-versé de cotisations"),
        ),
        weight=3,
        channels={"account": 3, "phone": 2, "email": 2, "mail": 1},
    ),
    "Centre national CESU": Topic(
        org="le Cesu",
        keywords=("CESU", "chèque emploi service universel", "salarié à domicile"),
        procedures=(("Déclaration d'un salarié à domicile", "déclarer mon salarié à domicile"),),
        weight=0.5,
        channels={"online": 3, "phone": 1},
    ),
    "Centre national PAJEMPLOI": Topic(
        org="Pajemploi",
        keywords=("Pajemploi", "assistante maternelle", "garde d'enfant"),
        procedures=(("Déclaration de l'assistante maternelle", "déclarer mon assistante maternelle"),),
        weight=0.5,
        channels={"online": 3, "phone": 1},
    ),
    "Structure France services": Topic(
        org="l'espace France services",
        keywords=("France services", "maison France services", "aide aux démarches en ligne"),
        procedures=(
            ("Accompagnement aux démarches en ligne", "être aidé pour mes démarches en ligne"),
            ("Aide pour la déclaration d'impôts", "remplir ma déclaration de revenus"),
            ("Création de compte ameli", "créer mon compte ameli"),
        ),
        weight=3,
        channels={"desk": 5, "phone": 1},
    ),
    "CROUS": Topic(
        org="le Crous",
        keywords=(
            "Crous",
            "bourse étudiante",
            "bourse sur critères sociaux",
            "logement étudiant",
            "résidence universitaire",
            "restaurant universitaire",
            "dossier social étudiant",
        ),
        procedures=(
            ("Bourse sur critères sociaux", "obtenir le versement de ma bourse"),
            ("Logement étudiant", "obtenir un logement en résidence universitaire"),
        ),
        weight=2,
        channels={"account": 3, "email": 2, "desk": 1, "phone": 1},
    ),
    "TRIBUNAL JUDICIAIRE": Topic(
        org="le tribunal judiciaire",
        keywords=("tribunal judiciaire", "greffe", "audience", "juge aux affaires familiales", "tutelle"),
        procedures=(
            ("Suivi d'une procédure", "connaître l'avancement de ma procédure"),
            ("Mesure de tutelle", "faire le point sur la tutelle de ma mère"),
        ),
        weight=1,
        channels={"desk": 3, "phone": 2, "mail": 2},
    ),
    "CONSEIL DES PRUD'HOMMES": Topic(
        org="le conseil de prud'hommes",
        keywords=("prud'hommes", "conseil de prud'hommes"),
        procedures=(("Saisine des prud'hommes", "contester mon licenciement"),),
        weight=0.5,
        channels={"desk": 3, "mail": 2},
    ),
    "Point-justice (RAD)": Topic(
        org="le point-justice",
        keywords=("point-justice", "accès au droit", "consultation juridique gratuite"),
        procedures=(("Consultation juridique", "obtenir une consultation juridique gratuite"),),
        weight=0.5,
        channels={"desk": 4, "phone": 1},
    ),
    "Casier judiciaire national": Topic(
        org="le casier judiciaire national", keywords=("casier judiciaire", "extrait de casier judiciaire")
    ),
    "Etablissement pénitentiaire": Topic(
        org="l'établissement pénitentiaire", keywords=("prison", "détenu", "parloir", "centre pénitentiaire")
    ),
    "Bureau d'aide aux victimes": Topic(org="le bureau d'aide aux victimes", keywords=("aide aux victimes",)),
    "Bureau de douane": Topic(
        org="le bureau de douane",
        keywords=("douane", "douanier", "dédouanement", "droits de douane", "colis bloqué"),
        procedures=(("Colis bloqué en douane", "récupérer un colis bloqué en douane"),),
        weight=1,
        channels={"desk": 2, "email": 2, "phone": 1},
    ),
    "Maison du don": Topic(
        org="la Maison du don",
        keywords=("don du sang", "donneur de sang", "don de plasma", "Établissement français du sang", "EFS"),
        procedures=(("Don du sang", "donner mon sang"),),
        weight=1,
        channels={"desk": 4, "online": 1},
    ),
    "DSDEN": Topic(
        org="la direction des services départementaux de l'Éducation nationale",
        keywords=("DSDEN", "inspection académique", "affectation au lycée", "instruction en famille"),
        procedures=(("Affectation au lycée", "obtenir l'affectation de mon fils au lycée"),),
        weight=1,
        channels={"email": 2, "phone": 2, "mail": 1},
    ),
    "Rectorat": Topic(
        org="le rectorat",
        keywords=("rectorat", "académie", "baccalauréat"),
        procedures=(("Relevé de notes du baccalauréat", "obtenir mon relevé de notes du baccalauréat"),),
        weight=0.5,
        channels={"email": 2, "phone": 1},
    ),
    "Université": Topic(
        org="l'université",
        keywords=("université", "inscription universitaire", "scolarité", "diplôme"),
        procedures=(("Inscription universitaire", "finaliser mon inscription universitaire"),),
        weight=1,
        channels={"online": 2, "email": 2, "desk": 1},
    ),
    "Centre du service national et de la jeunesse": Topic(
        org="le centre du service national",
        keywords=("JDC", "journée défense et citoyenneté", "recensement citoyen", "service national"),
        procedures=(("Journée défense et citoyenneté", "obtenir mon certificat de participation à la JDC"),),
        weight=1,
        channels={"online": 3, "email": 1},
    ),
    "Chèque énergie": Topic(
        org="le service du chèque énergie",
        keywords=("chèque énergie",),
        procedures=(("Chèque énergie", "recevoir mon chèque énergie"),),
        weight=1,
        channels={"online": 2, "phone": 2, "mail": 1},
    ),
    "Maprim'renov": Topic(
        org="MaPrimeRénov'",
        keywords=("MaPrimeRénov", "rénovation énergétique"),
        procedures=(("Dossier MaPrimeRénov'", "obtenir le paiement de MaPrimeRénov'"),),
        weight=1,
        channels={"online": 3, "phone": 2},
    ),
    "ANAH": Topic(org="l'Anah", keywords=("Anah", "Agence nationale de l'habitat")),
    "Crit'air": Topic(org="le service Crit'Air", keywords=("Crit'Air", "vignette Crit'Air")),
    "Prime à la conversion": Topic(org="le service de la prime à la conversion", keywords=("prime à la conversion",)),
    "CDC_compteformation": Topic(
        org="Mon compte formation",
        keywords=("compte personnel de formation", "CPF", "Mon compte formation"),
        procedures=(("Formation financée par le CPF", "faire financer une formation avec mon CPF"),),
        weight=1,
        channels={"online": 3, "account": 2},
    ),
    "Tous Anti Covid": Topic(
        org="TousAntiCovid",
        keywords=("TousAntiCovid", "pass sanitaire", "passe sanitaire", "certificat de vaccination", "passe vaccinal"),
    ),
    "Service-public.fr": Topic(org="le site service-public.fr", keywords=("service-public.fr",)),
    "Franceconnect": Topic(org="FranceConnect", keywords=("FranceConnect",)),
    "SignalConso": Topic(
        org="SignalConso",
        keywords=("SignalConso", "litige avec un commerçant", "arnaque"),
        procedures=(("Signalement d'un commerçant", "signaler un commerçant"),),
        weight=0.5,
        channels={"online": 4},
    ),
    "DGCCRF": Topic(org="la DGCCRF", keywords=("DGCCRF", "répression des fraudes")),
    "ONACVG": Topic(org="l'ONACVG", keywords=("anciens combattants", "carte du combattant", "pupille de la Nation")),
    "Telepac": Topic(org="Telepac", keywords=("Telepac", "aides de la PAC")),
    "Pass Culture": Topic(org="le pass Culture", keywords=("pass Culture",)),
    "Direction départementale de la protection des populations": Topic(
        org="la direction départementale de la protection des populations",
        keywords=("protection des populations", "DDPP", "hygiène alimentaire"),
    ),
    "Direction départementale des territoires": Topic(
        org="la direction départementale des territoires", keywords=("DDT", "direction départementale des territoires")
    ),
    "Services Publics +": Topic(org="Services Publics+", keywords=("Services Publics+", "voxusagers")),
    "CNAF": Topic(org="la Caisse nationale des allocations familiales", keywords=("CNAF",)),
}


# Generic procedures for an organism the table above does not describe.
GENERIC_PROCEDURES = (
    ("Suivi de mon dossier", "faire le point sur mon dossier"),
    ("Demande d'information", "obtenir une information sur mes droits"),
    ("Prise de rendez-vous", "prendre rendez-vous"),
    ("Réclamation", "déposer une réclamation"),
    ("Demande de document", "obtenir un document administratif"),
)
GENERIC_CHANNELS = {"desk": 3, "phone": 3, "online": 2, "email": 2, "mail": 1, "account": 1}
