"""The flagship courses' text, in English and French. Written for Relais from
the programme's public record (capacity development in migration
governance, 2009-2024); no text is copied from it."""

# A lesson: slug, {lang: (title, paragraphs, key point)}, optional extras.
# A module: slug, {lang: (title, summary)}, lessons, quiz (in the last lesson).
# A quiz question: {lang: text}, kind, answers [(correct, {lang: (text, feedback)})].

INTEGRATION = {
    "slug": "integration-of-migrants-and-refugees",
    "kind": "self_paced",
    "hours": "12.0",
    "image": "integration",
    "tags": {
        "en": ["integration", "migration governance", "social inclusion"],
        "fr": ["intégration des migrants", "gouvernance des migrations"],
    },
    "resources": ["costa-rica-national-integration-plan"],
    "en": {
        "title": "A holistic approach to the integration of migrants and refugees",
        "summary": (
            "A self-paced online course on integration policy that works across "
            "government and society, built on practices from nine EU member "
            "states and written with a university partner."
        ),
        "outcomes": [
            "Describe integration as a two-way process that involves newcomers, "
            "institutions and host communities.",
            "Map the public and civil-society actors an integration policy needs, "
            "at national and local level.",
            "Compare integration practices from several EU member states and judge "
            "what transfers to your own context.",
            "Outline the steps of a participatory national integration plan.",
        ],
        "cover_alt": (
            "Diagram: four coloured circles labelled work, school, housing and "
            "health, joined to a central circle for the person"
        ),
        "wording": "has completed the online course",
        "signatory": "Programme Director, Relais",
    },
    "fr": {
        "title": "Une approche holistique de l'intégration des migrants et des "
        "réfugiés",
        "summary": (
            "Un cours en ligne, à votre rythme, sur les politiques d'intégration "
            "qui mobilisent l'État et la société, fondé sur les pratiques de neuf "
            "États membres de l'UE et rédigé avec un partenaire universitaire."
        ),
        "outcomes": [
            "Décrire l'intégration comme un processus à double sens qui engage les "
            "nouveaux arrivants, les institutions et la société d'accueil.",
            "Identifier les acteurs publics et associatifs dont une politique "
            "d'intégration a besoin, au niveau national et local.",
            "Comparer des pratiques d'intégration de plusieurs États membres de "
            "l'UE et juger ce qui est transposable chez vous.",
            "Décrire les étapes d'un plan national d'intégration participatif.",
        ],
        "cover_alt": (
            "Schéma : quatre cercles de couleur, travail, école, logement et santé, "
            "reliés à un cercle central figurant la personne"
        ),
        "wording": "a suivi avec succès le cours en ligne",
        "signatory": "Directrice du programme, Relais",
    },
    "modules": [
        {
            "slug": "understanding-integration",
            "en": (
                "Understanding integration",
                "What integration means, who takes part, and why a holistic view "
                "matters.",
            ),
            "fr": (
                "Comprendre l'intégration",
                "Ce que recouvre l'intégration, qui y participe, et pourquoi une "
                "vision d'ensemble compte.",
            ),
            "lessons": [
                {
                    "slug": "integration-as-a-two-way-process",
                    "en": (
                        "Integration as a two-way process",
                        [
                            "Integration is not something newcomers do alone. It "
                            "happens when migrants and refugees take part in the "
                            "economic, social and civic life of a country, and when "
                            "institutions and neighbours make room for them.",
                            "Policies that only ask newcomers to adapt tend to fail: "
                            "language classes are of little use if employers never "
                            "recognise a diploma, and a job is hard to keep without "
                            "stable housing or school places for the children.",
                        ],
                        "Integration is shared work: newcomers, public services and "
                        "the host community all have a part to play.",
                    ),
                    "fr": (
                        "L'intégration, un processus à double sens",
                        [
                            "L'intégration n'est pas l'affaire des seuls nouveaux "
                            "arrivants. Elle se réalise quand migrants et réfugiés "
                            "participent à la vie économique, sociale et civique du "
                            "pays, et quand les institutions et le voisinage leur "
                            "font une place.",
                            "Les politiques qui demandent seulement aux nouveaux "
                            "venus de s'adapter échouent souvent : un cours de langue "
                            "sert peu si les employeurs ne reconnaissent jamais les "
                            "diplômes, et un emploi se garde mal sans logement stable "
                            "ni place à l'école pour les enfants.",
                        ],
                        "L'intégration est un travail partagé : nouveaux arrivants, "
                        "services publics et société d'accueil y ont chacun un rôle.",
                    ),
                    "image": True,
                },
                {
                    "slug": "dimensions-of-integration",
                    "en": (
                        "The dimensions of integration",
                        [
                            "Practitioners usually distinguish several dimensions: "
                            "employment and income, education and language, housing, "
                            "health, and participation in public life. Progress in "
                            "one dimension supports the others.",
                            "A holistic approach looks at the person's whole path "
                            "rather than at one service at a time, and it plans "
                            "hand-overs between services so that nobody falls "
                            "between two offices.",
                        ],
                        "Plan services around the person's path, not around the "
                        "organisation chart.",
                    ),
                    "fr": (
                        "Les dimensions de l'intégration",
                        [
                            "Les praticiens distinguent en général plusieurs "
                            "dimensions : emploi et revenus, éducation et langue, "
                            "logement, santé et participation à la vie publique. Un "
                            "progrès dans l'une soutient les autres.",
                            "Une approche holistique regarde le parcours entier de la "
                            "personne plutôt qu'un service à la fois, et organise "
                            "les passages de relais entre services pour que personne "
                            "ne se perde entre deux guichets.",
                        ],
                        "Organisez les services autour du parcours de la personne, "
                        "pas autour de l'organigramme.",
                    ),
                },
                {
                    "slug": "who-is-involved",
                    "en": (
                        "Who is involved",
                        [
                            "National ministries set the legal frame and the budget, "
                            "but much of integration is delivered locally: "
                            "municipalities, schools, job centres, health services, "
                            "and civil-society organisations that newcomers already "
                            "trust.",
                            "Migrants' and refugees' own associations are partners, "
                            "not only beneficiaries: they know where services fail "
                            "and can reach people that institutions do not.",
                        ],
                        "Involve local government and migrant associations from the "
                        "start, not after the policy is written.",
                    ),
                    "fr": (
                        "Les acteurs concernés",
                        [
                            "Les ministères fixent le cadre juridique et le budget, "
                            "mais l'intégration se joue en grande partie au niveau "
                            "local : communes, écoles, services de l'emploi, services "
                            "de santé et associations en qui les nouveaux arrivants "
                            "ont déjà confiance.",
                            "Les associations de migrants et de réfugiés sont des "
                            "partenaires, pas seulement des bénéficiaires : elles "
                            "savent où les services échouent et atteignent des "
                            "personnes que les institutions ne touchent pas.",
                        ],
                        "Associez les collectivités locales et les associations de "
                        "migrants dès le départ, pas une fois la politique écrite.",
                    ),
                },
            ],
            "quiz": {
                "en": "Check your understanding: integration",
                "fr": "Vérifiez vos acquis : l'intégration",
                "questions": [
                    {
                        "en": "Why is integration called a two-way process?",
                        "fr": "Pourquoi dit-on que l'intégration est un processus "
                        "à double sens ?",
                        "kind": "single",
                        "answers": [
                            (
                                True,
                                {
                                    "en": (
                                        "Newcomers and the host society both adapt",
                                        "Right: institutions and neighbours make "
                                        "room as newcomers take part.",
                                    ),
                                    "fr": (
                                        "Les nouveaux arrivants et la société "
                                        "d'accueil s'adaptent tous deux",
                                        "Exact : les institutions et le voisinage "
                                        "font une place aux nouveaux venus.",
                                    ),
                                },
                            ),
                            (
                                False,
                                {
                                    "en": (
                                        "Migrants move to a country and back",
                                        "No: the term is about shared effort, not "
                                        "about travel.",
                                    ),
                                    "fr": (
                                        "Les migrants vont dans un pays puis "
                                        "reviennent",
                                        "Non : il s'agit d'un effort partagé, pas "
                                        "de déplacements.",
                                    ),
                                },
                            ),
                        ],
                    },
                    {
                        "en": "Which are dimensions of integration?",
                        "fr": "Lesquelles sont des dimensions de l'intégration ?",
                        "kind": "multiple",
                        "answers": [
                            (
                                True,
                                {
                                    "en": ("Employment", "Yes."),
                                    "fr": ("L'emploi", "Oui."),
                                },
                            ),
                            (
                                True,
                                {
                                    "en": ("Housing", "Yes."),
                                    "fr": ("Le logement", "Oui."),
                                },
                            ),
                            (
                                False,
                                {
                                    "en": (
                                        "The migrant's country of birth",
                                        "No: it is a fact, not a dimension a policy "
                                        "can act on.",
                                    ),
                                    "fr": (
                                        "Le pays de naissance du migrant",
                                        "Non : c'est un fait, pas un levier "
                                        "d'action publique.",
                                    ),
                                },
                            ),
                        ],
                    },
                ],
            },
        },
        {
            "slug": "practices-from-eu-member-states",
            "en": (
                "Practices from EU member states",
                "What nine EU member states tried, and what travels well.",
            ),
            "fr": (
                "Pratiques des États membres de l'UE",
                "Ce qu'ont essayé neuf États membres de l'UE, et ce qui se transpose.",
            ),
            "lessons": [
                {
                    "slug": "early-orientation",
                    "en": (
                        "Early orientation and language",
                        [
                            "Several member states offer an orientation programme "
                            "in the first months: how public services work, rights "
                            "and duties, and language classes that lead to a "
                            "recognised level.",
                            "The programmes that work best combine language with "
                            "practice, for example classes held at the workplace or "
                            "linked to a vocational course.",
                        ],
                        "Start early: the first months shape the whole integration "
                        "path.",
                    ),
                    "fr": (
                        "Accueil et langue dès l'arrivée",
                        [
                            "Plusieurs États membres proposent un programme "
                            "d'orientation dans les premiers mois : fonctionnement "
                            "des services publics, droits et devoirs, et cours de "
                            "langue menant à un niveau reconnu.",
                            "Les programmes les plus efficaces lient la langue à la "
                            "pratique, par exemple des cours sur le lieu de travail "
                            "ou associés à une formation professionnelle.",
                        ],
                        "Commencez tôt : les premiers mois façonnent tout le "
                        "parcours d'intégration.",
                    ),
                    "image": True,
                },
                {
                    "slug": "recognising-skills",
                    "en": (
                        "Recognising skills and qualifications",
                        [
                            "Many newcomers hold diplomas or experience that "
                            "employers cannot read. Skills assessments, bridging "
                            "courses and fast procedures for recognising "
                            "qualifications shorten the time spent in jobs below "
                            "a person's level.",
                            "Recognition is cheaper than retraining, and it brings "
                            "skills a labour market is often short of.",
                        ],
                        "Every month spent below one's skill level is a loss for "
                        "the person and for the economy.",
                    ),
                    "fr": (
                        "Reconnaître compétences et qualifications",
                        [
                            "Beaucoup de nouveaux arrivants ont des diplômes ou une "
                            "expérience que les employeurs ne savent pas lire. "
                            "Bilans de compétences, formations passerelles et "
                            "procédures rapides de reconnaissance raccourcissent le "
                            "temps passé dans des emplois sous-qualifiés.",
                            "Reconnaître coûte moins cher que reformer, et apporte "
                            "des compétences qui manquent souvent au marché du "
                            "travail.",
                        ],
                        "Chaque mois passé sous son niveau de compétence est une "
                        "perte pour la personne comme pour l'économie.",
                    ),
                },
                {
                    "slug": "local-integration-partnerships",
                    "en": (
                        "Local integration partnerships",
                        [
                            "Cities in several member states run integration "
                            "partnerships: a standing table where the municipality, "
                            "schools, the job centre, health services and "
                            "associations agree who does what for newcomers.",
                            "Such partnerships need a coordinator with a mandate and "
                            "a small budget; without them, meetings become "
                            "information sessions and nothing changes.",
                        ],
                        "A partnership needs a mandate, a coordinator and shared "
                        "goals, not just meetings.",
                    ),
                    "fr": (
                        "Les partenariats locaux d'intégration",
                        [
                            "Dans plusieurs États membres, des villes animent des "
                            "partenariats d'intégration : une table permanente où "
                            "la commune, les écoles, le service de l'emploi, la "
                            "santé et les associations décident qui fait quoi pour "
                            "les nouveaux arrivants.",
                            "Ces partenariats ont besoin d'un coordinateur mandaté "
                            "et d'un petit budget ; sans eux, les réunions "
                            "deviennent des séances d'information et rien ne change.",
                        ],
                        "Un partenariat a besoin d'un mandat, d'un coordinateur et "
                        "d'objectifs communs, pas seulement de réunions.",
                    ),
                },
            ],
            "quiz": {
                "en": "Check your understanding: practices",
                "fr": "Vérifiez vos acquis : les pratiques",
                "questions": [
                    {
                        "en": "What makes language programmes work best?",
                        "fr": "Qu'est-ce qui rend les cours de langue plus efficaces ?",
                        "kind": "single",
                        "answers": [
                            (
                                True,
                                {
                                    "en": (
                                        "Linking language to work or vocational "
                                        "training",
                                        "Right: practice makes the language stick.",
                                    ),
                                    "fr": (
                                        "Les lier au travail ou à une formation "
                                        "professionnelle",
                                        "Exact : la pratique ancre la langue.",
                                    ),
                                },
                            ),
                            (
                                False,
                                {
                                    "en": (
                                        "Postponing them until the person has a job",
                                        "No: the first months matter most.",
                                    ),
                                    "fr": (
                                        "Les reporter jusqu'à l'obtention d'un emploi",
                                        "Non : les premiers mois comptent le plus.",
                                    ),
                                },
                            ),
                        ],
                    },
                    {
                        "en": "What does a local integration partnership need?",
                        "fr": "De quoi un partenariat local d'intégration a-t-il "
                        "besoin ?",
                        "kind": "multiple",
                        "answers": [
                            (
                                True,
                                {
                                    "en": ("A coordinator with a mandate", "Yes."),
                                    "fr": ("Un coordinateur mandaté", "Oui."),
                                },
                            ),
                            (
                                True,
                                {
                                    "en": ("Shared goals", "Yes."),
                                    "fr": ("Des objectifs communs", "Oui."),
                                },
                            ),
                            (
                                False,
                                {
                                    "en": (
                                        "A meeting every week whatever the agenda",
                                        "No: meetings without a purpose change "
                                        "nothing.",
                                    ),
                                    "fr": (
                                        "Une réunion chaque semaine, quel que soit "
                                        "l'ordre du jour",
                                        "Non : des réunions sans objet ne changent "
                                        "rien.",
                                    ),
                                },
                            ),
                        ],
                    },
                ],
            },
        },
        {
            "slug": "building-an-integration-policy",
            "en": (
                "Building an integration policy",
                "From analysis to a national plan that local actors own.",
            ),
            "fr": (
                "Construire une politique d'intégration",
                "De l'analyse à un plan national que les acteurs locaux s'approprient.",
            ),
            "lessons": [
                {
                    "slug": "analysing-needs",
                    "en": (
                        "Analysing needs with civil society",
                        [
                            "A plan starts with an honest picture of needs. When "
                            "Costa Rica prepared its national integration plan for "
                            "2018-2022, civil society led the analysis of context "
                            "and needs, which gave the plan credibility with the "
                            "people it served.",
                            "Ask who is missing from the table: women, young people, "
                            "people without papers, and those living far from the "
                            "capital are often left out of consultations.",
                        ],
                        "Participation is a method, not a ceremony: give civil "
                        "society real work in the analysis.",
                    ),
                    "fr": (
                        "Analyser les besoins avec la société civile",
                        [
                            "Un plan commence par un état des lieux honnête. Pour "
                            "son plan national d'intégration 2018-2022, le Costa "
                            "Rica a confié à la société civile l'analyse du "
                            "contexte et des besoins, ce qui a donné au plan sa "
                            "crédibilité auprès des personnes concernées.",
                            "Demandez-vous qui manque autour de la table : femmes, "
                            "jeunes, personnes sans papiers et habitants éloignés "
                            "de la capitale sont souvent oubliés.",
                        ],
                        "La participation est une méthode, pas une cérémonie : "
                        "confiez un vrai travail d'analyse à la société civile.",
                    ),
                    "resources": True,
                    "image": True,
                },
                {
                    "slug": "from-national-to-local",
                    "en": (
                        "From national plan to local action",
                        [
                            "A national plan becomes real in municipalities. In the "
                            "follow-up to its first plan, Costa Rica brought local "
                            "government into the writing of the policy, so that the "
                            "people who deliver services shaped the commitments.",
                            "Give each measure an owner, a budget line and an "
                            "indicator that a local office can report on.",
                        ],
                        "Every measure needs an owner, a budget line and an indicator.",
                    ),
                    "fr": (
                        "Du plan national à l'action locale",
                        [
                            "Un plan national prend corps dans les communes. Dans "
                            "la suite de son premier plan, le Costa Rica a associé "
                            "les collectivités locales à l'écriture de la politique, "
                            "pour que ceux qui délivrent les services façonnent les "
                            "engagements.",
                            "Donnez à chaque mesure un responsable, une ligne "
                            "budgétaire et un indicateur qu'un service local peut "
                            "renseigner.",
                        ],
                        "Chaque mesure a besoin d'un responsable, d'une ligne "
                        "budgétaire et d'un indicateur.",
                    ),
                },
                {
                    "slug": "monitoring-and-learning",
                    "en": (
                        "Monitoring and learning",
                        [
                            "Monitoring is how a plan learns. A few indicators per "
                            "dimension, collected the same way every year, tell you "
                            "more than a long list nobody fills in.",
                            "Share the results with the partners who produced them "
                            "and adjust the plan openly: this keeps civil society "
                            "and local government engaged for the next cycle.",
                        ],
                        "Few indicators, collected every year, shared with those "
                        "who produce them.",
                    ),
                    "fr": (
                        "Suivre et apprendre",
                        [
                            "Le suivi permet au plan d'apprendre. Quelques "
                            "indicateurs par dimension, collectés de la même façon "
                            "chaque année, en disent plus qu'une longue liste que "
                            "personne ne remplit.",
                            "Partagez les résultats avec les partenaires qui les "
                            "produisent et ajustez le plan ouvertement : cela "
                            "maintient l'engagement de la société civile et des "
                            "collectivités pour le cycle suivant.",
                        ],
                        "Peu d'indicateurs, collectés chaque année, partagés avec "
                        "ceux qui les produisent.",
                    ),
                },
            ],
            "quiz": {
                "en": "Check your understanding: policy",
                "fr": "Vérifiez vos acquis : la politique",
                "questions": [
                    {
                        "en": "Who led the needs analysis for Costa Rica's 2018-2022 "
                        "integration plan?",
                        "fr": "Qui a mené l'analyse des besoins du plan "
                        "d'intégration 2018-2022 du Costa Rica ?",
                        "kind": "single",
                        "answers": [
                            (
                                True,
                                {
                                    "en": (
                                        "Civil society",
                                        "Right: that gave the plan credibility.",
                                    ),
                                    "fr": (
                                        "La société civile",
                                        "Exact : cela a donné au plan sa crédibilité.",
                                    ),
                                },
                            ),
                            (
                                False,
                                {
                                    "en": (
                                        "An international consultancy",
                                        "No: national actors led it.",
                                    ),
                                    "fr": (
                                        "Un cabinet international",
                                        "Non : ce sont des acteurs nationaux.",
                                    ),
                                },
                            ),
                        ],
                    },
                    {
                        "en": "What should every measure of a plan have?",
                        "fr": "De quoi chaque mesure d'un plan doit-elle disposer ?",
                        "kind": "multiple",
                        "answers": [
                            (
                                True,
                                {
                                    "en": ("An owner", "Yes."),
                                    "fr": ("Un responsable", "Oui."),
                                },
                            ),
                            (
                                True,
                                {
                                    "en": ("An indicator", "Yes."),
                                    "fr": ("Un indicateur", "Oui."),
                                },
                            ),
                            (
                                False,
                                {
                                    "en": (
                                        "A press release",
                                        "No: visibility is not delivery.",
                                    ),
                                    "fr": (
                                        "Un communiqué de presse",
                                        "Non : la visibilité n'est pas l'action.",
                                    ),
                                },
                            ),
                        ],
                    },
                ],
            },
        },
    ],
}


def _q(kind, en, fr, answers):
    """A question from compact rows: (correct, en, fr, en feedback, fr feedback)."""
    return {
        "en": en,
        "fr": fr,
        "kind": kind,
        "answers": [
            (ok, {"en": (a_en, f_en), "fr": (a_fr, f_fr)})
            for ok, a_en, a_fr, f_en, f_fr in answers
        ],
    }


def _lesson(slug, en, fr, **extra):
    return {"slug": slug, "en": en, "fr": fr, **extra}


TOT = {
    "slug": "capacity-development-tot",
    "kind": "train_the_trainer",
    # Its graduates become trainers: joined by the cohort's key (the demo's
    # DEMO0001 and the like) or a trainer's invitation, never by a button.
    "enrolment_mode": "key",
    "hours": "24.0",
    "image": "cascade",
    "tags": {
        "en": ["capacity development", "training of trainers", "migration governance"],
        "fr": ["renforcement des capacités", "formation de formateurs"],
    },
    "resources": [
        "diaspora-engagement-policies",
        "child-protection-unaccompanied-children",
    ],
    "en": {
        "title": "Capacity development: train-the-trainer tool",
        "summary": (
            "A blended train-the-trainer programme for public officials: learn to "
            "design and run capacity development in your institution, then pass it "
            "on. Rolled out in Brazil, Cameroon, Costa Rica, El Salvador, Kyrgyzstan "
            "and Uganda."
        ),
        "outcomes": [
            "Explain the principles of capacity development: ownership, "
            "sustainability and impact.",
            "Assess the capacity needs of a team or an institution.",
            "Design and deliver an interactive training session for adults.",
            "Plan how your own trainees will train others, and follow the cascade.",
        ],
        "cover_alt": (
            "Diagram of a cascade: one circle at the top linked to three circles, "
            "each linked to three more"
        ),
        "wording": "has completed the train-the-trainer programme and may deliver "
        "the capacity-development workshop",
        "signatory": "Head of Capacity Development, Relais",
    },
    "fr": {
        "title": "Renforcement des capacités : outil de formation de formateurs",
        "summary": (
            "Un programme mixte de formation de formateurs pour les agents publics : "
            "apprendre à concevoir et animer le renforcement des capacités dans "
            "votre institution, puis passer le relais. Déployé au Brésil, au "
            "Cameroun, au Costa Rica, au Salvador, au Kirghizistan et en Ouganda."
        ),
        "outcomes": [
            "Expliquer les principes du renforcement des capacités : appropriation, "
            "durabilité et impact.",
            "Évaluer les besoins en capacités d'une équipe ou d'une institution.",
            "Concevoir et animer une séance de formation interactive pour adultes.",
            "Prévoir comment vos stagiaires formeront à leur tour, et suivre la "
            "cascade.",
        ],
        "cover_alt": (
            "Schéma d'une cascade : un cercle en haut relié à trois cercles, "
            "chacun relié à trois autres"
        ),
        "wording": "a suivi le programme de formation de formateurs et peut animer "
        "l'atelier de renforcement des capacités",
        "signatory": "Responsable du renforcement des capacités, Relais",
    },
    "modules": [
        {
            "slug": "principles-of-capacity-development",
            "en": (
                "Principles of capacity development",
                "Ownership, sustainability, impact.",
            ),
            "fr": (
                "Principes du renforcement des capacités",
                "Appropriation, durabilité, impact.",
            ),
            "lessons": [
                _lesson(
                    "what-is-capacity-development",
                    (
                        "What capacity development is",
                        [
                            "Capacity development strengthens what people, institutions and "
                            "systems can do on their own, over time. Training is one tool "
                            "among others, alongside procedures, tools, peer exchange and "
                            "cooperation between institutions.",
                            "Since 2020 the programme behind this course has put three "
                            "principles first: ownership by the partner institution, "
                            "sustainability after the project ends, and measurable impact.",
                        ],
                        "Training is a means; the goal is what the institution can do "
                        "without outside help.",
                    ),
                    (
                        "Ce qu'est le renforcement des capacités",
                        [
                            "Le renforcement des capacités consolide ce que les personnes, "
                            "les institutions et les systèmes savent faire par eux-mêmes, "
                            "dans la durée. La formation est un outil parmi d'autres, avec "
                            "les procédures, les outils, l'échange entre pairs et la "
                            "coopération entre institutions.",
                            "Depuis 2020, le programme à l'origine de ce cours met trois "
                            "principes en avant : l'appropriation par l'institution "
                            "partenaire, la durabilité après le projet et un impact "
                            "mesurable.",
                        ],
                        "La formation est un moyen ; le but est ce que l'institution "
                        "sait faire sans aide extérieure.",
                    ),
                    image=True,
                ),
                _lesson(
                    "ownership",
                    (
                        "Ownership",
                        [
                            "An institution owns a change when it asked for it, shaped it "
                            "and commits its own staff and time. Demand-driven assistance, "
                            "where the partner writes the request, is the first step.",
                            "Peer exchange between officials who do the same job in "
                            "different countries builds trust faster than lectures.",
                        ],
                        "Start from the partner's request, not from a ready-made "
                        "package.",
                    ),
                    (
                        "L'appropriation",
                        [
                            "Une institution s'approprie un changement quand elle l'a "
                            "demandé, façonné, et y engage son personnel et son temps. "
                            "L'assistance à la demande, où le partenaire rédige la "
                            "requête, en est la première étape.",
                            "L'échange entre pairs qui exercent le même métier dans des "
                            "pays différents crée la confiance plus vite qu'un exposé.",
                        ],
                        "Partez de la demande du partenaire, pas d'un module tout "
                        "prêt.",
                    ),
                ),
                _lesson(
                    "multiplying-the-effect",
                    (
                        "Multiplying the effect",
                        [
                            "In a train-the-trainer model, each person trained becomes a "
                            "trainer in their own institution. About 80 participants in "
                            "six countries took this course, with the aim of passing the "
                            "training on to their colleagues.",
                            "A cascade only works if trainers get materials they may "
                            "adapt, support after the course, and a way to record whom "
                            "they trained.",
                        ],
                        "Plan the second and third generations of the cascade before "
                        "the first session.",
                    ),
                    (
                        "Démultiplier l'effet",
                        [
                            "Dans un modèle de formation de formateurs, chaque personne "
                            "formée devient formatrice dans sa propre institution. Environ "
                            "80 participants dans six pays ont suivi ce cours, avec "
                            "l'objectif de transmettre la formation à leurs collègues.",
                            "Une cascade ne fonctionne que si les formateurs disposent de "
                            "supports adaptables, d'un appui après le cours et d'un moyen "
                            "d'enregistrer qui ils ont formé.",
                        ],
                        "Prévoyez les deuxième et troisième générations de la "
                        "cascade avant la première séance.",
                    ),
                ),
            ],
            "quiz": {
                "en": "Check your understanding: principles",
                "fr": "Vérifiez vos acquis : les principes",
                "questions": [
                    _q(
                        "multiple",
                        "Which principles guide capacity development here?",
                        "Quels principes guident ici le renforcement des capacités ?",
                        [
                            (True, "Ownership", "L'appropriation", "Yes.", "Oui."),
                            (True, "Sustainability", "La durabilité", "Yes.", "Oui."),
                            (
                                False,
                                "Speed of delivery",
                                "La rapidité d'exécution",
                                "No: fast but unowned change rarely lasts.",
                                "Non : un changement rapide mais non approprié dure peu.",
                            ),
                        ],
                    ),
                    _q(
                        "single",
                        "What is the first step towards ownership?",
                        "Quelle est la première étape de l'appropriation ?",
                        [
                            (
                                True,
                                "The partner writes its own request",
                                "Le partenaire rédige sa propre demande",
                                "Right: assistance starts from demand.",
                                "Exact : l'assistance part de la demande.",
                            ),
                            (
                                False,
                                "A donor chooses the topic",
                                "Un bailleur choisit le thème",
                                "No: that is supply, not demand.",
                                "Non : c'est l'offre, pas la demande.",
                            ),
                        ],
                    ),
                ],
            },
        },
        {
            "slug": "assessing-needs",
            "en": ("Assessing capacity needs", "Find the real gap before you train."),
            "fr": (
                "Évaluer les besoins en capacités",
                "Trouver le vrai manque avant de former.",
            ),
            "lessons": [
                _lesson(
                    "three-levels",
                    (
                        "Individual, organisational, system",
                        [
                            "Capacity gaps sit at three levels: individual skills, the "
                            "organisation's procedures and resources, and the wider system "
                            "of laws and cooperation between institutions.",
                            "Training fixes only the first level. If the gap is a missing "
                            "procedure or an unclear mandate, train less and help the "
                            "institution write the procedure.",
                        ],
                        "Ask at which level the gap is before choosing training.",
                    ),
                    (
                        "Individu, organisation, système",
                        [
                            "Les manques de capacités se situent à trois niveaux : les "
                            "compétences individuelles, les procédures et ressources de "
                            "l'organisation, et le système plus large des lois et de la "
                            "coopération entre institutions.",
                            "La formation ne traite que le premier niveau. Si le manque est "
                            "une procédure absente ou un mandat flou, formez moins et "
                            "aidez l'institution à écrire la procédure.",
                        ],
                        "Demandez-vous à quel niveau se trouve le manque avant de "
                        "choisir la formation.",
                    ),
                    image=True,
                ),
                _lesson(
                    "gathering-evidence",
                    (
                        "Gathering evidence",
                        [
                            "Use several sources: short interviews with staff and managers, "
                            "a look at real case files, and the views of the people the "
                            "service is for, such as migrants or diaspora members.",
                            "Write the findings down in one page and agree them with the "
                            "institution's management before designing anything.",
                        ],
                        "One page of agreed findings beats a long report nobody reads.",
                    ),
                    (
                        "Réunir des éléments",
                        [
                            "Croisez les sources : courts entretiens avec agents et "
                            "responsables, examen de vrais dossiers, et avis des personnes "
                            "auxquelles le service s'adresse, migrants ou membres de la "
                            "diaspora.",
                            "Résumez les constats sur une page et validez-les avec la "
                            "direction de l'institution avant de concevoir quoi que ce "
                            "soit.",
                        ],
                        "Une page de constats validés vaut mieux qu'un long rapport "
                        "que personne ne lit.",
                    ),
                    resources=True,
                ),
                _lesson(
                    "setting-objectives",
                    (
                        "Setting learning objectives",
                        [
                            "Write objectives as what participants will be able to do at "
                            "work: 'register an asylum claim using the new form', not "
                            "'understand asylum'.",
                            "Each objective should be observable, so that you and the "
                            "institution can tell later whether it was reached.",
                        ],
                        "An objective names an action someone could observe.",
                    ),
                    (
                        "Fixer des objectifs d'apprentissage",
                        [
                            "Formulez les objectifs comme ce que les participants sauront "
                            "faire au travail : « enregistrer une demande d'asile avec le "
                            "nouveau formulaire », et non « comprendre l'asile ».",
                            "Chaque objectif doit être observable, pour que vous et "
                            "l'institution sachiez plus tard s'il est atteint.",
                        ],
                        "Un objectif nomme une action que l'on peut observer.",
                    ),
                ),
            ],
            "quiz": {
                "en": "Check your understanding: needs",
                "fr": "Vérifiez vos acquis : les besoins",
                "questions": [
                    _q(
                        "single",
                        "The gap is an unclear mandate between two agencies. "
                        "What helps most?",
                        "Le manque est un mandat flou entre deux administrations. "
                        "Qu'est-ce qui aide le plus ?",
                        [
                            (
                                True,
                                "Help them agree a procedure",
                                "Les aider à convenir d'une procédure",
                                "Right: it is a system-level gap.",
                                "Exact : le manque est au niveau du système.",
                            ),
                            (
                                False,
                                "More training for staff",
                                "Plus de formation pour les agents",
                                "No: training fixes individual skills only.",
                                "Non : la formation ne traite que les compétences.",
                            ),
                        ],
                    ),
                    _q(
                        "single",
                        "Which is a well-written objective?",
                        "Lequel est un objectif bien formulé ?",
                        [
                            (
                                True,
                                "Fill in the new registration form correctly",
                                "Remplir correctement le nouveau formulaire "
                                "d'enregistrement",
                                "Right: it is observable.",
                                "Exact : il est observable.",
                            ),
                            (
                                False,
                                "Understand migration",
                                "Comprendre la migration",
                                "No: nobody can observe 'understand'.",
                                "Non : « comprendre » ne s'observe pas.",
                            ),
                        ],
                    ),
                ],
            },
        },
        {
            "slug": "delivering-and-cascading",
            "en": (
                "Delivering and cascading",
                "Run sessions adults learn from, then pass them on.",
            ),
            "fr": (
                "Animer et transmettre",
                "Animer des séances utiles aux adultes, puis passer le relais.",
            ),
            "lessons": [
                _lesson(
                    "adult-learning",
                    (
                        "How adults learn",
                        [
                            "Adults learn from problems they recognise. Start each session "
                            "with a case from their own work, let them try, then add the "
                            "theory they need.",
                            "Keep presentations short: ten minutes of input, then an "
                            "exercise, a discussion or a role play.",
                        ],
                        "Case first, theory second, and never more than ten minutes "
                        "of slides in a row.",
                    ),
                    (
                        "Comment les adultes apprennent",
                        [
                            "Les adultes apprennent à partir de problèmes qu'ils "
                            "reconnaissent. Ouvrez chaque séance sur un cas tiré de leur "
                            "travail, laissez-les essayer, puis apportez la théorie utile.",
                            "Gardez les exposés courts : dix minutes d'apport, puis un "
                            "exercice, une discussion ou un jeu de rôle.",
                        ],
                        "Le cas d'abord, la théorie ensuite, et jamais plus de dix "
                        "minutes de diapositives d'affilée.",
                    ),
                ),
                _lesson(
                    "running-a-session",
                    (
                        "Running a session",
                        [
                            "Prepare a session plan with timings, materials and the "
                            "objective each activity serves. Check the room, the language "
                            "of the materials and how people will reach the venue.",
                            "Close with what participants will do differently next week, "
                            "and collect short, anonymous feedback.",
                        ],
                        "End every session with a concrete next step for each "
                        "participant.",
                    ),
                    (
                        "Animer une séance",
                        [
                            "Préparez un déroulé avec horaires, supports et l'objectif "
                            "servi par chaque activité. Vérifiez la salle, la langue des "
                            "supports et l'accès au lieu.",
                            "Concluez sur ce que chaque participant fera autrement la "
                            "semaine suivante, et recueillez un retour court et anonyme.",
                        ],
                        "Terminez chaque séance par une prochaine étape concrète pour "
                        "chacun.",
                    ),
                    image=True,
                ),
                _lesson(
                    "following-the-cascade",
                    (
                        "Following the cascade",
                        [
                            "Record every cohort you open and every in-person session you "
                            "deliver, with the number of people reached. This lets the "
                            "programme show how far the training travelled, generation "
                            "after generation.",
                            "Stay in touch with the trainers you trained: a short call "
                            "after their first session solves most problems early.",
                        ],
                        "What is not recorded cannot be shown: record cohorts and "
                        "sessions as you go.",
                    ),
                    (
                        "Suivre la cascade",
                        [
                            "Enregistrez chaque cohorte ouverte et chaque séance en "
                            "présentiel animée, avec le nombre de personnes touchées. Le "
                            "programme peut ainsi montrer jusqu'où la formation a voyagé, "
                            "génération après génération.",
                            "Gardez le contact avec les formateurs que vous avez formés : "
                            "un court appel après leur première séance règle la plupart "
                            "des difficultés.",
                        ],
                        "Ce qui n'est pas enregistré ne peut être montré : "
                        "enregistrez cohortes et séances au fil de l'eau.",
                    ),
                ),
            ],
            "quiz": {
                "en": "Check your understanding: delivery",
                "fr": "Vérifiez vos acquis : l'animation",
                "questions": [
                    _q(
                        "single",
                        "How should a session for adults start?",
                        "Comment commencer une séance pour adultes ?",
                        [
                            (
                                True,
                                "With a case from their work",
                                "Par un cas tiré de leur travail",
                                "Right: adults learn from real problems.",
                                "Exact : les adultes apprennent de problèmes réels.",
                            ),
                            (
                                False,
                                "With an hour of theory",
                                "Par une heure de théorie",
                                "No: keep input short.",
                                "Non : gardez l'apport court.",
                            ),
                        ],
                    ),
                    _q(
                        "multiple",
                        "What should a trainer record?",
                        "Que doit enregistrer un formateur ?",
                        [
                            (
                                True,
                                "The cohorts they open",
                                "Les cohortes ouvertes",
                                "Yes.",
                                "Oui.",
                            ),
                            (
                                True,
                                "In-person sessions and people reached",
                                "Les séances en présentiel et les personnes touchées",
                                "Yes.",
                                "Oui.",
                            ),
                            (
                                False,
                                "Participants' home addresses",
                                "L'adresse personnelle des participants",
                                "No: collect only what the programme needs.",
                                "Non : ne collectez que le nécessaire.",
                            ),
                        ],
                    ),
                ],
            },
        },
    ],
}

WORKSHOP = {
    "slug": "delivering-the-capacity-development-workshop",
    "kind": "blended",
    "hours": "3.0",
    "image": "workshop",
    "tags": {"en": ["capacity development"], "fr": ["renforcement des capacités"]},
    "resources": [],
    "en": {
        "title": "Delivering the capacity-development workshop",
        "summary": "A short blended course for colleagues trained by a certified "
        "trainer: the workshop's method and a plan to apply it at work.",
        "outcomes": [
            "Run the workshop's needs exercise with a team.",
            "Agree one change your team will make next month.",
        ],
        "cover_alt": "Five people around a table, drawn as circles around a rectangle",
        "wording": "has completed the capacity-development workshop",
        "signatory": "Head of Capacity Development, Relais",
    },
    "fr": {
        "title": "Animer l'atelier de renforcement des capacités",
        "summary": "Un court cours mixte pour les collègues formés par un formateur "
        "certifié : la méthode de l'atelier et un plan pour l'appliquer au travail.",
        "outcomes": [
            "Conduire l'exercice d'analyse des besoins avec une équipe.",
            "Convenir d'un changement que l'équipe fera le mois prochain.",
        ],
        "cover_alt": "Cinq personnes autour d'une table, dessinées comme des cercles "
        "autour d'un rectangle",
        "wording": "a suivi l'atelier de renforcement des capacités",
        "signatory": "Responsable du renforcement des capacités, Relais",
    },
    "modules": [
        {
            "slug": "the-workshop",
            "en": ("The workshop", "Method and follow-up."),
            "fr": ("L'atelier", "Méthode et suivi."),
            "lessons": [
                _lesson(
                    "the-needs-exercise",
                    (
                        "The needs exercise",
                        [
                            "In small groups, participants list the tasks where their team "
                            "struggles, then sort them into skills, procedures and "
                            "cooperation. The sorting shows where training helps and where "
                            "it does not.",
                        ],
                        "Sort each problem by level before looking for solutions.",
                    ),
                    (
                        "L'exercice des besoins",
                        [
                            "En petits groupes, les participants listent les tâches où "
                            "leur équipe bute, puis les classent en compétences, procédures "
                            "et coopération. Le classement montre où la formation aide et "
                            "où elle n'aide pas.",
                        ],
                        "Classez chaque problème par niveau avant de chercher des "
                        "solutions.",
                    ),
                    image=True,
                ),
                _lesson(
                    "one-change-next-month",
                    (
                        "One change next month",
                        [
                            "The workshop ends with one change per team, with a name and "
                            "a date. The trainer calls a month later to ask how it went.",
                        ],
                        "One change, one owner, one date.",
                    ),
                    (
                        "Un changement le mois prochain",
                        [
                            "L'atelier se conclut par un changement par équipe, avec un nom "
                            "et une date. Le formateur rappelle un mois plus tard pour "
                            "faire le point.",
                        ],
                        "Un changement, un responsable, une date.",
                    ),
                ),
            ],
            "quiz": {
                "en": "Check your understanding: the workshop",
                "fr": "Vérifiez vos acquis : l'atelier",
                "questions": [
                    _q(
                        "single",
                        "How does the workshop end?",
                        "Comment l'atelier se termine-t-il ?",
                        [
                            (
                                True,
                                "With one change per team, with an owner and a date",
                                "Par un changement par équipe, avec un responsable et une "
                                "date",
                                "Right.",
                                "Exact.",
                            ),
                            (
                                False,
                                "With a written exam",
                                "Par un examen écrit",
                                "No.",
                                "Non.",
                            ),
                        ],
                    ),
                ],
            },
        },
    ],
}

COURSES = [INTEGRATION, TOT, WORKSHOP]

CATALOGUE_TITLES = {
    "en": ("Courses", "Online and blended courses on migration governance."),
    "fr": ("Cours", "Cours en ligne et mixtes sur la gouvernance des migrations."),
    "es": ("Cursos", "Cursos en línea y mixtos sobre gobernanza migratoria."),
    "pt": ("Cursos", "Cursos online e híbridos sobre governança migratória."),
    "ru": ("Курсы", "Онлайн и смешанные курсы по управлению миграцией."),
    "ar": ("الدورات", "دورات عبر الإنترنت ومدمجة في مجال حوكمة الهجرة."),
}
