"""Motivation templates: short true stories and practical lessons rather than trivia."""

from reelforge.lib.story.genre_data import Beat, GenreData

B = Beat

MOTIVATION = GenreData(
    key="motivation",
    cores=(
        "most overnight successes are really years of quiet work nobody saw",
        "your first attempt at anything is supposed to be clumsy",
        "getting one percent better every day makes you about thirty seven times better in a year",
        "you do not need more motivation, you need a smaller first step",
        "some bamboo spends years growing roots before it shoots upward",
        "the hardest part of any run is the first five minutes",
        "finishing one small task gives your brain a real sense of reward",
        "a new habit sticks better when you tie it to one you already have",
        "James Dyson built over five thousand prototypes before his vacuum worked",
        "the first Harry Potter book was rejected by about a dozen publishers",
        "every expert you admire was once a confused beginner",
        "Michael Jordan did not make his high school varsity team at first",
        "a ten minute walk can change your whole mood",
        "writing a goal down makes it far easier to follow through",
        "anything that takes less than two minutes is worth doing right now",
        "the person you will be in five years is built by what you repeat today",
        "Vera Wang designed her first wedding dress at around forty",
        "most of the things we worry about never actually happen",
        "the first ten minutes of your morning can shape the whole day",
        "discipline is simply remembering what you want most",
        "the Wright brothers were bicycle makers when they first flew",
        "rest is part of the work, not a break from it",
    ),
    beats=(
        B(
            "James Dyson",
            "James Dyson built five thousand one hundred and twenty seven prototypes before "
            "his bagless vacuum finally worked.",
            ("Every failed version taught him one small thing.",),
            "a lone inventor figure in a cluttered workshop lab, warm {color} lamp light",
        ),
        B(
            "one percent better",
            "Getting just one percent better each day adds up to about thirty seven times "
            "better after a year.",
            ("Small steps feel like nothing, until suddenly they are everything.",),
            "a hiker climbing a long mountain ridge at sunrise, {color} sky",
        ),
        B(
            "the Wright brothers",
            "The Wright brothers ran a bicycle shop, and they tested their ideas in a "
            "homemade wind tunnel before they ever flew.",
            ("Their first flight lasted just twelve seconds, and it changed the world.",),
            "an early airplane lifting off above sand dunes, a small crowd watching, {color} sky",
        ),
        B(
            "Michael Jordan",
            "Michael Jordan did not make his high school varsity team on his first try.",
            ("He used that disappointment as fuel to train harder than anyone.",),
            "a lone basketball player figure in an empty gym, {color} spotlight",
        ),
        B(
            "rejection",
            "The first Harry Potter book was turned down by around a dozen publishers before "
            "one finally said yes.",
            ("A no is often just a not yet.",),
            "a person writing by a window in a rainy city at night, {color} lamp glow",
        ),
        B(
            "late bloomers",
            "Vera Wang designed her first wedding dress at around forty, after careers as a "
            "figure skater and a fashion editor.",
            ("It is never too late to start the thing you actually want.",),
            "a confident figure on a city rooftop at dusk, skyline lights, {color} sky",
        ),
        B(
            "Thomas Edison",
            "Thomas Edison's team tested thousands of materials before they found a light bulb "
            "filament that lasted.",
            ("Each failure ruled something out and brought them closer.",),
            "a glowing light bulb in a dark workshop lab, {color} sparks",
        ),
        B(
            "the two minute rule",
            "Try the two minute rule: if something takes less than two minutes, do it right now.",
            ("Tiny wins build momentum for the bigger ones.",),
            "a runner at the start line of an empty track at dawn, {color} sky",
        ),
        B(
            "habit stacking",
            "Tie a new habit to something you already do, like reading one page right after "
            "your morning coffee.",
            ("Your old routine becomes the reminder for the new one.",),
            "a person sitting by a sunny window with a book and a cup, {color} morning light",
        ),
        B(
            "the first step",
            "You do not need to see the whole staircase, you only need to take the first step.",
            ("The next step usually becomes clear once you are moving.",),
            "a long stone staircase up a misty mountain toward a temple, {color} sky",
        ),
        B(
            "walking",
            "A short walk outside can lift your mood and clear your head, even on a busy day.",
            ("Some of the best ideas show up when you stop forcing them.",),
            "a person walking along a forest path with sunlight through the trees, {color} light",
        ),
        B(
            "beginners",
            "Every expert you admire was once a beginner who refused to quit.",
            ("Being bad at something is the first step to being good at it.",),
            "a young climber reaching up a tall cliff, {color} sunset sky, mountains",
        ),
        B(
            "written goals",
            "Writing a goal down turns a wish into a plan you can actually check.",
            ("Put it somewhere you will see it every single day.",),
            "a notebook on a desk in front of a city skyline at dawn, {color} sky",
        ),
        B(
            "comparison",
            "Comparing your first chapter to someone else's twentieth chapter is never a fair "
            "fight.",
            ("The only race that matters is against who you were yesterday.",),
            "two hikers on different mountain peaks at sunrise, {color} sky, valley fog",
        ),
        B(
            "rest",
            "Rest is part of the work, because muscles and minds grow stronger while they recover.",
            ("Burning out does not make you faster.",),
            "a person resting on a hilltop watching the stars, {color} night sky, a calm lake",
        ),
        B(
            "consistency",
            "Showing up on the days you do not feel like it is what makes the good days possible.",
            ("Motivation comes and goes, but habits stay.",),
            "a runner on a rainy city street at dawn, {color} reflections, tall towers",
        ),
        B(
            "the marathon",
            "A marathon is run one step at a time, and so is every big goal.",
            ("Focus on the next kilometer, not the finish line.",),
            "a crowd of runners crossing a bridge into a city at sunrise, {color} sky",
        ),
        B(
            "mornings",
            "The first ten minutes after you wake up can set the tone for your whole day.",
            (
                "Try a glass of water, some daylight, and one clear goal before you check "
                "your phone.",
            ),
            "a person stretching on a balcony above the ocean at sunrise, {color} sky",
        ),
        B(
            "worry",
            "Most of the things we worry about never actually happen.",
            ("Spend that energy on the next thing you can control.",),
            "a calm figure standing on a beach as big waves roll in, {color} sky",
        ),
        B(
            "hidden progress",
            "Some bamboo spends years growing roots underground before it finally shoots up "
            "toward the sky.",
            ("Progress you cannot see is still progress.",),
            "tall green bamboo forest reaching toward a {color} sky, light rays",
        ),
        B(
            "kintsugi",
            "In Japan, an art called kintsugi repairs broken pottery with gold, treating the "
            "cracks as part of its story.",
            ("Your setbacks can become the most interesting part of yours.",),
            "a bowl repaired with glowing golden lines on a dark table, {color} light",
        ),
        B(
            "climbing Everest",
            "Climbers do not reach the top of Everest in one push; they climb to higher camps "
            "and come back down to adjust first.",
            ("Stepping back is sometimes part of moving forward.",),
            "climbers roped together on a snowy mountain ridge, {color} sky, prayer flags",
        ),
    ),
    lexicon={
        "topic": ("motivation", "mindset", "self improvement", "success", "life"),
        "adj": (
            "powerful",
            "simple",
            "honest",
            "surprising",
            "life changing",
            "little known",
            "hard earned",
            "practical",
            "uncomfortable",
            "timeless",
        ),
        "fact": ("lesson", "truth", "reminder"),
        "facts": ("lessons", "truths", "reminders"),
        "color": (
            "golden",
            "warm orange",
            "rose pink",
            "sky blue",
            "amber",
            "violet",
            "crimson",
            "teal",
            "peach",
            "silver",
        ),
        "count": ("two", "three", "four"),
        "setting": (
            "standing at the bottom of a long staircase",
            "lacing up your shoes on a cold morning",
            "staring at a blank page at midnight",
            "sitting in a car before a big interview",
            "watching the sunrise after a hard week",
        ),
        "tail": (
            "you need to hear today",
            "worth remembering",
            "that changed how I work",
            "for the days you want to quit",
        ),
        "extra": (
            "Remember that the next time you want to quit.",
            "Progress is rarely loud.",
            "Be patient with yourself.",
            "Nobody starts out great.",
            "You are closer than you think.",
            "Small steps still move you forward.",
            "Start before you feel ready.",
        ),
        "closer": (
            "Your future self is watching what you do today.",
            "Follow for a daily dose of motivation.",
            "Now go take one small step.",
        ),
        "title_form": (
            "{n} {Adj} {Topic} {Facts}",
            "What {Subject} Can Teach You",
            "The {Adj} Lesson of {Subject}",
            "{Subject}: {n} {Facts} for Hard Days",
            "Lessons From {Subject}",
            "{Subject} Will Change How You Work",
            "Stop Quitting: {Subject} and {m} More {Facts}",
            "{n} {Facts} {Tail}",
            "{Subject}, {Subject2}, and the {Adj} Truth",
            "{title}: {Subject}",
        ),
        "title": (
            "Read This Before You Give Up",
            "The Mindset That Changes Everything",
        ),
    },
    hashtags=(
        "#mindset",
        "#selfimprovement",
        "#discipline",
        "#success",
        "#inspiration",
        "#growthmindset",
        "#habits",
        "#dailymotivation",
    ),
    core_hashtags=("#motivation",),
)
