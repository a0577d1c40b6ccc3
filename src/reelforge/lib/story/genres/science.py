"""Everyday science templates."""

from reelforge.lib.story.genre_data import Beat, GenreData

B = Beat

SCIENCE = GenreData(
    key="science",
    cores=(
        "your blood contains enough iron to make a small nail",
        "hot water can sometimes freeze faster than cold water",
        "bananas are slightly radioactive",
        "a single teaspoon of soil can hold billions of living microbes",
        "lightning is about five times hotter than the surface of the Sun",
        "water can boil and freeze at the very same time",
        "your brain uses about a fifth of your body's energy",
        "atoms are almost entirely empty space",
        "a fluffy cloud can weigh hundreds of tons",
        "the lining of your stomach replaces itself every few days",
        "sound travels about four times faster in water than in air",
        "super cold helium can flow up and over the walls of its cup",
        "the DNA in your body could stretch to the Sun and back many times",
        "the Eiffel Tower grows taller in summer",
        "diamonds and pencil lead are made of the same element",
        "you are slightly taller in the morning than at night",
        "every rainbow is actually a full circle",
        "the smell of rain has its own name",
        "the light hitting your eyes today started its journey thousands of years ago",
        "light could circle the Earth more than seven times in one second",
        "ice floats because water expands when it freezes",
        "bone is surprisingly strong for how light it is",
    ),
    beats=(
        B(
            "atoms",
            "Atoms are almost entirely empty space.",
            (
                "If an atom were the size of a stadium, its nucleus would be about the size "
                "of a pea in the middle.",
            ),
            "a glowing atom with electron orbits around a bright nucleus, {color} background",
        ),
        B(
            "DNA",
            "If you uncoiled all the DNA in your body and laid it end to end, it could stretch "
            "to the Sun and back many times.",
            ("It fits because each strand is unbelievably thin and tightly wound.",),
            "a twisting DNA double helix glowing in {color} light, floating cells",
        ),
        B(
            "lightning",
            "A lightning bolt can heat the air around it to about thirty thousand degrees Celsius.",
            ("That is roughly five times hotter than the surface of the Sun.",),
            "a bright lightning bolt striking over a dark city skyline, {color} storm clouds",
        ),
        B(
            "radioactive bananas",
            "Bananas are slightly radioactive, because they contain a natural form of potassium.",
            ("You would need to eat an impossible number of them for it to matter.",),
            "a glowing banana beside atom symbols in a laboratory, {color} light",
        ),
        B(
            "diamonds and graphite",
            "Diamonds and the graphite in pencils are both pure carbon, with the atoms "
            "arranged differently.",
            (
                "One arrangement is the hardest natural material, the other is soft enough to "
                "write with.",
            ),
            "a sparkling crystal lattice of connected atoms, molecule structure, {color} glow",
        ),
        B(
            "sound in water",
            "Sound travels about four times faster through water than through air.",
            ("That is one reason whales can hear each other across huge distances.",),
            "sound waves rippling through deep blue ocean water, {color} light, a distant whale",
        ),
        B(
            "the brain",
            "Your brain makes up about two percent of your body weight, but uses around "
            "twenty percent of its energy.",
            ("Even while you sleep, it stays remarkably busy.",),
            "a glowing brain made of connected cells and sparks, {color} background",
        ),
        B(
            "thermal expansion",
            "In summer heat, the iron of the Eiffel Tower expands, and the tower can grow up to "
            "fifteen centimeters taller.",
            ("Bridges have special gaps called expansion joints for the same reason.",),
            "a tall iron tower shimmering in summer heat over a city, {color} sky",
        ),
        B(
            "your height",
            "You are about one centimeter taller in the morning, because the discs in your "
            "spine compress during the day.",
            ("Lying down at night lets them soak up fluid and expand again.",),
            "a person standing beside a glowing measuring scale in a lab, {color} light",
        ),
        B(
            "petrichor",
            "The earthy smell after rain has a name, petrichor.",
            ("Part of it comes from a chemical made by bacteria living in the soil.",),
            "rain falling over green hills and a forest, {color} sky, soft mist",
        ),
        B(
            "rainbows",
            "Every rainbow is actually a full circle, but the ground usually hides the bottom "
            "half.",
            ("From an airplane, you can sometimes see the whole ring.",),
            "a full circular rainbow above clouds and mountains, {color} sky",
        ),
        B(
            "sunlight's long journey",
            "The light reaching you today began in the core of the Sun, where it bounced around "
            "for thousands of years before escaping.",
            ("The final trip from the surface to your eyes takes just eight minutes.",),
            "the glowing core of a star with swirling plasma, {color} light, dark space",
        ),
        B(
            "superfluid helium",
            "Cooled close to absolute zero, helium becomes a superfluid that can creep up and "
            "over the walls of its container.",
            ("It also flows without any friction at all.",),
            "a glass flask in a laboratory with glowing liquid climbing its walls, {color} light",
        ),
        B(
            "the triple point",
            "At a special temperature and pressure called the triple point, water can boil and "
            "freeze at the same time.",
            ("Scientists once used it to help define the temperature scale.",),
            "a beaker in a lab with ice crystals and bubbles at once, molecule diagrams, {color}",
        ),
        B(
            "soil",
            "A single teaspoon of healthy soil can hold billions of microbes.",
            ("Most of them have never been studied or even named.",),
            "a magnified view of soil with tiny cells and roots, {color} light",
        ),
        B(
            "clouds",
            "A fluffy cumulus cloud can weigh hundreds of tons, because it holds countless tiny "
            "water droplets.",
            ("It floats because those droplets are spread out over a huge volume of air.",),
            "a huge white cloud over green hills, {color} sky, tiny water molecules",
        ),
        B(
            "bones",
            "Bone is surprisingly strong for its weight, and your thigh bone can support many "
            "times your body weight.",
            ("And unlike steel, it repairs itself when it breaks.",),
            "a glowing skeleton of a runner figure, {color} lab background",
        ),
        B(
            "the stomach",
            "The lining of your stomach renews itself every few days, so its strong acid does "
            "not digest it.",
            ("A layer of mucus adds extra protection.",),
            "a soft glowing cell structure with membranes, {color} microscope view",
        ),
        B(
            "iron in your blood",
            "Your blood contains enough iron to make a small nail.",
            ("That iron is what lets red blood cells carry oxygen around your body.",),
            "red blood cells flowing through a vessel, {color} glow, molecule shapes",
        ),
        B(
            "freezing hot water",
            "Under some conditions, hot water can freeze faster than cold water.",
            ("Scientists still debate exactly why it happens.",),
            "two glass beakers in a laboratory, one steaming and one frozen, {color} light",
        ),
        B(
            "the speed of light",
            "Light could circle the Earth about seven and a half times in one second.",
            ("Nothing in the universe travels faster.",),
            "beams of light circling a glowing blue planet, {color} space background, stars",
        ),
        B(
            "floating ice",
            "Water expands when it freezes, which is why ice floats and lakes freeze from the "
            "top down.",
            ("That layer of ice keeps the water below liquid, so fish can survive the winter.",),
            "a frozen lake between snowy mountains, ice crystals, {color} sky",
        ),
    ),
    lexicon={
        "topic": ("science", "physics", "human body", "chemistry", "everyday science"),
        "adj": (
            "strange",
            "mind blowing",
            "surprising",
            "bizarre",
            "little known",
            "weird",
            "fascinating",
            "unbelievable",
            "wild",
            "nerdy",
        ),
        "fact": ("fact",),
        "facts": ("facts",),
        "color": (
            "electric blue",
            "cyan",
            "violet",
            "lime green",
            "magenta",
            "golden",
            "teal",
            "orange",
            "deep purple",
            "turquoise",
        ),
        "count": ("two", "three", "four"),
        "setting": (
            "standing in a school lab full of bubbling flasks",
            "watching a thunderstorm from your window",
            "looking through a microscope for the first time",
            "stirring a cup of tea on a cold morning",
            "lying in bed, staring at the ceiling",
        ),
        "tail": (
            "that sound made up",
            "your teacher never mentioned",
            "most people get wrong",
            "that sound like magic",
        ),
        "extra": (
            "Science is weirder than fiction.",
            "And the physics behind it is surprisingly simple.",
            "Your body and the world around you are doing this all the time.",
            "It sounds like a trick, but it is just nature following its rules.",
            "Researchers are still uncovering the details.",
            "You can thank chemistry for that one.",
            "Once you know it, you see it everywhere.",
        ),
        "closer": (
            "The world is full of hidden science, if you know where to look.",
            "Follow for more science facts that sound made up.",
            "Stay curious, because the answers are often stranger than the questions.",
        ),
        "title": (
            "Science Facts That Sound Fake",
            "Your Body Is Weirder Than You Think",
        ),
    },
    hashtags=(
        "#sciencefacts",
        "#physics",
        "#chemistry",
        "#stem",
        "#learnsomething",
        "#didyouknow",
        "#funfacts",
        "#education",
    ),
    core_hashtags=("#science",),
)
