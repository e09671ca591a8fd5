"""The demo restaurants and their menus, as plain data."""

from decimal import Decimal as D

# Each restaurant: (name, slug, cuisine, description, delivery fee, open?, menu).
# Each menu: {category: [(dish, description, price, vegetarian, available)]}.
RESTAURANTS = [
    (
        "Mario's Pizzeria",
        "marios-pizzeria",
        "Italian",
        "Wood-fired pizza from a family recipe, and the tiramisu of Mario's aunt.",
        D("2.50"),
        True,
        {
            "Pizzas": [
                (
                    "Margherita Pizza",
                    "Tomato, mozzarella, basil.",
                    D("11.50"),
                    True,
                    True,
                ),
                (
                    "Pepperoni Pizza",
                    "Tomato, mozzarella, spicy salami.",
                    D("13.00"),
                    False,
                    True,
                ),
                (
                    "Quattro Formaggi",
                    "Four cheeses, no tomato.",
                    D("13.50"),
                    True,
                    True,
                ),
                ("Diavola", "Tomato, chilli, 'nduja.", D("13.50"), False, True),
                (
                    "Calzone",
                    "Folded pizza with ham and ricotta.",
                    D("12.50"),
                    False,
                    False,
                ),
            ],
            "Starters": [
                ("Garlic Bread", "Baked with garlic butter.", D("4.50"), True, True),
                ("Bruschetta", "Grilled bread, tomato, basil.", D("5.50"), True, True),
                (
                    "Caprese Salad",
                    "Mozzarella, tomato, olive oil.",
                    D("7.00"),
                    True,
                    True,
                ),
            ],
            "Desserts": [
                ("Tiramisu", "Coffee, mascarpone, cocoa.", D("6.00"), True, True),
                ("Panna Cotta", "With a berry coulis.", D("5.50"), True, True),
            ],
        },
    ),
    (
        "Sakura Sushi",
        "sakura-sushi",
        "Japanese",
        "Nigiri and rolls made to order.",
        D("3.00"),
        True,
        {
            "Rolls": [
                ("California Roll", "Crab, avocado, cucumber.", D("8.50"), False, True),
                ("Avocado Maki", "Avocado and sesame.", D("6.00"), True, True),
                ("Spicy Tuna Roll", "Tuna, chilli mayonnaise.", D("9.50"), False, True),
                (
                    "Dragon Roll",
                    "Eel, avocado, tempura prawn.",
                    D("13.00"),
                    False,
                    False,
                ),
            ],
            "Nigiri": [
                ("Salmon Nigiri", "Two pieces.", D("5.00"), False, True),
                ("Tamago Nigiri", "Sweet omelette, two pieces.", D("4.00"), True, True),
            ],
            "Sides": [
                ("Miso Soup", "Tofu, wakame, spring onion.", D("3.00"), True, True),
                ("Edamame", "Steamed, with sea salt.", D("4.00"), True, True),
            ],
        },
    ),
    (
        "Taj Spice",
        "taj-spice",
        "Indian",
        "Curries from the north and the south, breads from the tandoor.",
        D("2.00"),
        True,
        {
            "Curries": [
                (
                    "Chicken Tikka Masala",
                    "Creamy tomato sauce.",
                    D("12.00"),
                    False,
                    True,
                ),
                ("Palak Paneer", "Spinach and fresh cheese.", D("10.50"), True, True),
                ("Lamb Rogan Josh", "Slow-cooked, aromatic.", D("13.50"), False, True),
                ("Chana Masala", "Chickpeas, tomato, spices.", D("9.00"), True, True),
            ],
            "Breads and rice": [
                ("Garlic Naan", "From the tandoor.", D("3.00"), True, True),
                ("Pilau Rice", "Basmati with whole spices.", D("3.50"), True, True),
            ],
            "Starters": [
                (
                    "Vegetable Samosas",
                    "Two, with tamarind chutney.",
                    D("4.50"),
                    True,
                    True,
                ),
                ("Onion Bhaji", "Crisp onion fritters.", D("4.00"), True, True),
            ],
        },
    ),
    (
        "El Camino Taqueria",
        "el-camino-taqueria",
        "Mexican",
        "Tacos on fresh corn tortillas and burritos the size of a forearm.",
        D("2.50"),
        True,
        {
            "Tacos": [
                (
                    "Al Pastor Tacos",
                    "Marinated pork, pineapple.",
                    D("9.00"),
                    False,
                    True,
                ),
                ("Fish Tacos", "Battered cod, lime slaw.", D("10.00"), False, True),
                (
                    "Mushroom Tacos",
                    "Roasted mushrooms, salsa verde.",
                    D("8.50"),
                    True,
                    True,
                ),
            ],
            "Burritos": [
                (
                    "Carne Asada Burrito",
                    "Grilled steak, rice, beans.",
                    D("11.50"),
                    False,
                    True,
                ),
                ("Bean Burrito", "Black beans, rice, cheese.", D("9.00"), True, True),
            ],
            "Sides": [
                (
                    "Guacamole and Chips",
                    "Made fresh every hour.",
                    D("5.50"),
                    True,
                    True,
                ),
                ("Elote", "Grilled corn, chilli, cheese.", D("4.50"), True, True),
            ],
        },
    ),
    (
        "Green Bowl",
        "green-bowl",
        "Vegetarian",
        "Bowls, salads and soups, every one of them meat-free.",
        D("1.50"),
        True,
        {
            "Bowls": [
                (
                    "Buddha Bowl",
                    "Quinoa, roast squash, tahini.",
                    D("10.00"),
                    True,
                    True,
                ),
                ("Falafel Bowl", "Falafel, hummus, tabbouleh.", D("9.50"), True, True),
                (
                    "Poke Bowl (tofu)",
                    "Marinated tofu, rice, pickles.",
                    D("10.50"),
                    True,
                    True,
                ),
            ],
            "Salads": [
                ("Greek Salad", "Feta, olives, cucumber.", D("8.00"), True, True),
                (
                    "Caesar Salad (vegetarian)",
                    "Parmesan-free dressing.",
                    D("8.50"),
                    True,
                    True,
                ),
            ],
            "Soups": [
                ("Lentil Soup", "Red lentils, cumin, lemon.", D("6.00"), True, True),
                ("Tomato Soup", "With basil oil.", D("5.50"), True, False),
            ],
        },
    ),
    (
        "Le Petit Bistro",
        "le-petit-bistro",
        "French",
        "Classic bistro dishes. Closed for works: read the menu, order elsewhere.",
        D("3.50"),
        False,
        {
            "Mains": [
                (
                    "Steak Frites",
                    "Sirloin, fries, pepper sauce.",
                    D("19.00"),
                    False,
                    True,
                ),
                ("Ratatouille", "Provencal vegetables.", D("14.00"), True, True),
                ("Coq au Vin", "Chicken braised in red wine.", D("17.50"), False, True),
            ],
            "Desserts": [
                (
                    "Creme Brulee",
                    "Vanilla custard, burnt sugar.",
                    D("7.00"),
                    True,
                    True,
                ),
                ("Tarte Tatin", "Caramelised apple tart.", D("7.50"), True, True),
                ("Chocolate Mousse", "Dark chocolate.", D("6.50"), True, True),
            ],
        },
    ),
]

DEMO_PASSWORD = "delivery-demo"  # noqa: S105 - the documented password of the demo

# (username, email, role, restaurant slug or None, superuser?): two customers, a
# cook for every kitchen, and the administrator.
USERS = [
    ("alice", "alice@example.com", "customer", None, False),
    ("bob", "bob@example.com", "customer", None, False),
    ("chef", "chef@example.com", "kitchen", "marios-pizzeria", False),
    ("chef-sakura", "chef-sakura@example.com", "kitchen", "sakura-sushi", False),
    ("chef-taj", "chef-taj@example.com", "kitchen", "taj-spice", False),
    ("chef-camino", "chef-camino@example.com", "kitchen", "el-camino-taqueria", False),
    ("chef-green", "chef-green@example.com", "kitchen", "green-bowl", False),
    ("chef-bistro", "chef-bistro@example.com", "kitchen", "le-petit-bistro", False),
    ("admin", "admin@example.com", "customer", None, True),
]
