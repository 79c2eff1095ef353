"""The Arabic word stock of seed_archive --arabic: the beat's vocabulary (الاتجار بالبشر، حماية
الطفل، الهجرة، اللاجئين، المنظمة الدولية للهجرة ...) for generated, plainly synthetic stories, and
the Arabic names of the archive's themes, people, organizations and roles.

Kept apart from the command so that the command reads as what it builds. The English words each
name maps to come from seed_archive's own lists; a word missing here is a KeyError at once, not
an English name in the Arabic edition.
"""

# Parallel to seed_archive.THEMES, in its order: the Arabic edition's themes.
THEMES = [
    "حماية الطفل", "الاتجار بالبشر", "الهجرة", "حقوق الإنسان", "اللجوء", "اللاجئون",
    "الاستغلال في العمل", "سياسات الحدود", "تهريب المهاجرين", "انعدام الجنسية",
    "الزواج القسري", "عمل الأطفال", "الاحتجاز", "إعادة التوطين", "الهجرة المناخية",
    "التحويلات المالية", "النزوح الداخلي", "لم شمل الأسر", "العمالة المنزلية",
    "القاصرون غير المصحوبين", "الاستغلال الجنسي", "الاتجار بالأعضاء", "البيانات والبحوث",
    "المحاكم والملاحقات القضائية", "المجتمع المدني", "التمويل", "الصحة", "التعليم",
    "المخاطر الرقمية", "العودة وإعادة الإدماج", "هجرة العمالة", "المغتربون",
    "العنف القائم على النوع الاجتماعي", "العبور البحري", "طرق الصحراء", "المسارات القانونية",
    "دعم الضحايا", "الوقاية", "السياسات العامة", "التعاون الدولي",
]  # fmt: skip

FIRST = {
    "Amina": "أمينة", "Omar": "عمر", "Youssef": "يوسف", "Laila": "ليلى", "Karim": "كريم",
    "Nadia": "نادية", "Samir": "سمير", "Huda": "هدى", "Tarek": "طارق", "Mona": "منى",
    "Ali": "علي", "Fatima": "فاطمة", "Hassan": "حسن", "Salma": "سلمى", "Khaled": "خالد",
    "Rania": "رانيا", "Ahmed": "أحمد", "Yasmin": "ياسمين", "Mahmoud": "محمود", "Dina": "دينا",
    "Carlos": "كارلوس", "Maria": "ماريا", "Scott": "سكوت", "Anna": "آنا", "Peter": "بيتر",
    "Grace": "غريس", "John": "جون", "Chloe": "كلوي", "Ibrahim": "إبراهيم", "Zainab": "زينب",
}  # fmt: skip
LAST = {
    "Gabr": "جبر", "Hassan": "حسن", "El-Sayed": "السيد", "Mansour": "منصور", "Farouk": "فاروق",
    "Nasser": "ناصر", "Saleh": "صالح", "Haddad": "حداد", "Khalil": "خليل", "Aziz": "عزيز",
    "Cruz": "كروز", "Sanford": "سانفورد", "Mensah": "منساه", "Okafor": "أوكافور",
    "Diallo": "ديالو", "Traore": "تراوري", "Benali": "بن علي", "Rahman": "رحمن",
    "Kamel": "كامل", "Fathy": "فتحي", "Morsi": "مرسي", "Ghali": "غالي", "Saad": "سعد",
    "Zaki": "زكي", "Adel": "عادل", "Tawfik": "توفيق", "Lotfy": "لطفي", "Hamdy": "حمدي",
}  # fmt: skip
TITLES = {
    "Director": "مدير", "Chairperson": "رئيس مجلس الإدارة", "Chief of Mission": "رئيس البعثة",
    "Minister": "وزير", "Spokesperson": "متحدث رسمي", "Researcher": "باحث",
    "Programme Officer": "مسؤول برامج", "Deputy Director": "نائب المدير",
    "Head of Protection": "رئيس قسم الحماية", "Legal Adviser": "مستشار قانوني",
}  # fmt: skip

# An organization's name: the noun (with its grammatical gender), its adjective agreeing with it,
# and what it is for: "National Council for Childhood" is "المجلس الوطني للطفولة".
ORG_NOUNS = {
    "Council": ("المجلس", "m"), "Committee": ("اللجنة", "f"), "Agency": ("الوكالة", "f"),
    "Office": ("المكتب", "m"), "Institute": ("المعهد", "m"), "Network": ("الشبكة", "f"),
    "Foundation": ("المؤسسة", "f"), "Centre": ("المركز", "m"), "Commission": ("الهيئة", "f"),
    "Alliance": ("التحالف", "m"),
}  # fmt: skip
ORG_WORDS = {
    "National": {"m": "الوطني", "f": "الوطنية"},
    "Regional": {"m": "الإقليمي", "f": "الإقليمية"},
    "International": {"m": "الدولي", "f": "الدولية"},
    "Coordinating": {"m": "التنسيقي", "f": "التنسيقية"},
    "Independent": {"m": "المستقل", "f": "المستقلة"},
    "Joint": {"m": "المشترك", "f": "المشتركة"},
    "Arab": {"m": "العربي", "f": "العربية"},
    "African": {"m": "الأفريقي", "f": "الأفريقية"},
    "Mediterranean": {"m": "المتوسطي", "f": "المتوسطية"},
}
TOPICS = {
    "Childhood": "للطفولة", "Migration": "للهجرة", "Trafficking": "لمكافحة الاتجار بالبشر",
    "Protection": "للحماية", "Labour": "لشؤون العمل", "Refugees": "للاجئين",
    "Rights": "للحقوق", "Justice": "للعدالة", "Women": "للمرأة", "Youth": "للشباب",
}  # fmt: skip

PLACES = [
    "القاهرة", "الإسكندرية", "أسوان", "الخرطوم", "طرابلس", "تونس", "عمّان", "بيروت", "الرباط",
    "نيامي", "أغاديز", "أديس أبابا", "نيروبي", "صنعاء", "جنيف", "بروكسل", "أثينا", "روما",
    "فاليتا", "لامبيدوزا",
]  # fmt: skip
# What an organization does in a headline (the organizations are feminine: المنظمة، الهيئة).
VERBS = [
    "تحذر من", "تطلق برنامجًا بشأن", "تدعو إلى مواجهة", "تصدر تقريرًا عن",
    "تستضيف محادثات حول", "تنشر دراسة عن", "تمول مشروعات", "تراجع سياسات", "توسع جهود",
    "تناقش",
]  # fmt: skip
# Phrases, not words: "المنظمة الدولية للهجرة" stays whole.
WORDS = (
    "الأطفال|الأسر|المسؤولون|تقرير|مؤتمر|الحكومة|حماية الطفل|الاستجابة|الضحايا|الاتجار بالبشر|"
    "الهجرة|اللاجئين|الحدود|المحكمة|الملاحقة القضائية|السياسات|الدعم|دور الإيواء|الأدلة|البحث|"
    "المجتمع|الشركاء|التمويل|البرنامج|الحقوق|الناجون|الاستغلال|العمل|التهريب|الطرق|التنسيق|"
    "الوقاية|المساعدة|الصحة|التعليم|التعافي|إعادة الإدماج|البيانات|الوكالة|الوزارة|المجلس|"
    "اللجنة|الشبكة|الإقليمية|الوطنية|الدولية|التعاون|بيان|التوصيات|المخاطر|الفئات الأكثر ضعفًا|"
    "الخدمات القانونية|تحديد الهوية|الإحالة|آلية|تدريب|القضاة|الشرطة|النيابة العامة|"
    "الأخصائيون الاجتماعيون|المعلمون|المنظمة الدولية للهجرة|المفوضية السامية للأمم المتحدة|"
    "اليونيسف|إجراءات|في|من|إلى|على|مع|عن|بين|خلال|بعد|قبل|و|قال|أكد|أعلن|أشار|جديد|الأول|"
    "السنوي|زيادة|تراجع"
).split("|")
# Some stories write a few words with their vowels (tashkeel), as Arabic copy sometimes does:
# search must find them either way.
DIACRITICS = {
    "الأطفال": "الأَطْفَال",
    "الهجرة": "الهِجْرَة",
    "اللاجئين": "اللَّاجِئِين",
    "حماية الطفل": "حِمَايَة الطِّفْل",
    "الاتجار بالبشر": "الاتِّجَار بِالبَشَر",
    "الضحايا": "الضَّحَايَا",
    "المجتمع": "المُجْتَمَع",
    "الحدود": "الحُدُود",
}
SOURCE = "أرشيف غرفة الأخبار"


def theme_description(name):
    return f"تغطية {name}."


def person_name(first, last, number):
    return f"{FIRST[first]} {LAST[last]} {number}"


def organization_name(word, noun, topic, number):
    noun_ar, gender = ORG_NOUNS[noun]
    return f"{noun_ar} {ORG_WORDS[word][gender]} {TOPICS[topic]} {number}"


def vocalized(phrases):
    """The phrases with the vowels of those DIACRITICS knows written in."""
    return [DIACRITICS.get(phrase, phrase) for phrase in phrases]


def paragraph(rng, *, with_vowels=False):
    phrases = rng.choices(WORDS, k=rng.randint(25, 50))
    if with_vowels:
        phrases = vocalized(phrases)
    return " ".join(phrases) + "."


def headline(rng, organization, theme, *, with_vowels=False):
    """ "IOM7 تحذر من الاتجار بالبشر في القاهرة": a Latin acronym inside Arabic, as in real copy."""
    subject = DIACRITICS.get(theme, theme) if with_vowels else theme
    return f"{organization.short_name} {rng.choice(VERBS)} {subject} في {rng.choice(PLACES)}"
