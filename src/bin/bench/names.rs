//! The names the benchmark screens: half listed names in a random disguise
//! (a typo, a word dropped or swapped, another case, a legal form added),
//! half clean real-looking names of companies and people, from a seeded
//! generator; and the word tables the synthetic list is made of too.

use sanctions::index::Index;

/// Company words: industries and trades.
#[rustfmt::skip]
pub(super) const INDUSTRY: &[&str] = &[
    "Logistics", "Foods", "Textiles", "Software", "Systems", "Engineering", "Construction",
    "Consulting", "Capital", "Partners", "Trading", "Pharmaceuticals", "Medical", "Dental",
    "Bakery", "Furniture", "Packaging", "Plastics", "Metals", "Electronics", "Robotics",
    "Analytics", "Media", "Printing", "Realty", "Properties", "Insurance", "Marine", "Aviation",
    "Energy", "Solar", "Water", "Farms", "Dairy", "Brewing", "Wines", "Apparel", "Footwear",
    "Motors", "Auto Parts", "Tools", "Instruments", "Labs", "Biotech", "Security", "Networks",
    "Telecom", "Travel", "Hotels", "Restaurants", "Catering", "Cleaning", "Staffing", "Education",
    "Publishing", "Design", "Architecture", "Chemicals", "Paper", "Glass", "Ceramics", "Freight",
    "Shipping", "Mining", "Timber", "Nurseries", "Optics", "Audio", "Lighting", "Flooring",
];

/// Optional second company word.
#[rustfmt::skip]
const COMPANY_TAIL: &[&str] = &[
    "Group", "Services", "Solutions", "Supply", "International", "Industries", "Enterprises",
    "Company", "& Sons", "Brothers", "Holdings", "Works",
];

/// Legal forms.
#[rustfmt::skip]
pub(super) const LEGAL_FORMS: &[&str] = &[
    "Inc", "Inc.", "LLC", "Ltd", "Limited", "Corp", "Corporation", "GmbH", "AG", "S.A.", "SAS",
    "S.p.A.", "B.V.", "N.V.", "AB", "A/S", "Oy", "Pty Ltd", "Co., Ltd.", "PLC", "LLP", "K.K.",
    "Sdn Bhd", "Pte Ltd", "SRL", "KG",
];

/// Places and landscape words that start company names.
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "Harbor", "Riverside", "Summit", "Pacific", "Atlantic", "Northern", "Westfield", "Oakridge",
    "Lakeside", "Bayview", "Granite", "Cedar", "Maple", "Pinecrest", "Highland", "Meridian",
    "Silverline", "Bluewater", "Redwood", "Evergreen", "Clearwater", "Stonebridge", "Brookfield",
    "Fairview", "Greenfield", "Kingston", "Hamilton", "Bristol", "Cambridge", "Oxford", "Lyon",
    "Rotterdam", "Hamburg", "Osaka", "Melbourne", "Auckland", "Vancouver", "Geneva", "Porto",
    "Valencia", "Bergen", "Tampere", "Yokohama", "Busan", "Penang", "Adelaide", "Denver",
    "Portland", "Savannah", "Alpine",
];

/// Given names (English, European, East and South Asian).
#[rustfmt::skip]
const GIVEN_NAMES: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Emma", "Olivia", "Sophie", "Lucas", "Hans", "Greta", "Pierre",
    "Camille", "Giulia", "Marco", "Luca", "Sofia", "Javier", "Lucia", "Carlos", "Ana", "Joao",
    "Pedro", "Lars", "Ingrid", "Sven", "Anna", "Piotr", "Katarzyna", "Jan", "Eva", "Hiroshi",
    "Yuki", "Kenji", "Haruto", "Mei", "Wei", "Jun", "Minjun", "Seoyeon", "Jiho", "Priya", "Rahul",
    "Anil", "Deepa", "Arjun", "Linh", "Minh", "Siti", "Budi", "Chloe", "Noah", "Liam", "Ethan",
];

/// Surnames (English, European, East and South Asian).
#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall",
    "Young", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Rossi",
    "Russo", "Ferrari", "Esposito", "Bianchi", "Dubois", "Moreau", "Laurent", "Lefebvre", "Jansen",
    "de Vries", "Nielsen", "Hansen", "Johansson", "Lindqvist", "Kowalski", "Nowak", "Horvat",
    "Silva", "Santos", "Oliveira", "Pereira", "Fernandez", "Lopez", "Tanaka", "Suzuki", "Sato",
    "Watanabe", "Takahashi", "Chen", "Zhang", "Huang", "Zhao", "Park", "Choi", "Nguyen", "Tran",
    "Patel", "Shah", "Gupta", "Iyer", "Reddy", "Tan", "Lim", "Wong", "Murphy", "O'Brien", "Kelly",
    "MacLeod",
];

/// A small deterministic PRNG (SplitMix64).
pub(super) struct SplitMix64(pub(super) u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Generates names to screen: half disguised listed names, half clean names.
pub(super) struct Generator<'a> {
    index: &'a Index,
    rng: SplitMix64,
}

impl<'a> Generator<'a> {
    pub(super) fn new(index: &'a Index, seed: u64) -> Generator<'a> {
        Generator {
            index,
            rng: SplitMix64(seed),
        }
    }

    /// The next name, and whether it was made from a listed name.
    pub(super) fn next_name(&mut self) -> (bool, String) {
        if self.rng.below(2) == 0 {
            (true, self.disguised_listed())
        } else {
            (false, self.clean())
        }
    }

    /// A random listed name with one random disguise (or none).
    fn disguised_listed(&mut self) -> String {
        let idx = self.index;
        let n = &idx.names[self.rng.below(idx.names.len() as u64) as usize];
        let text = &idx.entities[n.entity as usize].names[n.name as usize].text;
        let r = &mut self.rng;
        match r.below(8) {
            0..=2 => typo(r, text),
            3 => {
                // Drop a word.
                let mut words: Vec<&str> = text.split_whitespace().collect();
                if words.len() > 1 {
                    words.remove(r.below(words.len() as u64) as usize);
                }
                words.join(" ")
            }
            4 => {
                // Swap two words.
                let mut words: Vec<&str> = text.split_whitespace().collect();
                if words.len() > 1 {
                    let i = r.below(words.len() as u64 - 1) as usize;
                    words.swap(i, i + 1);
                }
                words.join(" ")
            }
            5 => match r.below(3) {
                0 => text.to_lowercase(),
                1 => text.to_uppercase(),
                _ => title_case(text),
            },
            6 => format!("{text} {}", r.pick(LEGAL_FORMS)),
            _ => text.clone(),
        }
    }

    /// A real-looking name of a company or a person.
    fn clean(&mut self) -> String {
        let r = &mut self.rng;
        if r.below(2) == 0 {
            let start = if r.below(2) == 0 {
                r.pick(SURNAMES)
            } else {
                r.pick(PLACES)
            };
            let industry = r.pick(INDUSTRY);
            match r.below(3) {
                0 => format!(
                    "{start} {industry} {} {}",
                    r.pick(COMPANY_TAIL),
                    r.pick(LEGAL_FORMS)
                ),
                _ => format!("{start} {industry} {}", r.pick(LEGAL_FORMS)),
            }
        } else {
            let (given, surname) = (r.pick(GIVEN_NAMES), r.pick(SURNAMES));
            match r.below(4) {
                0 => {
                    let initial = (b'A' + r.below(26) as u8) as char;
                    format!("{given} {initial}. {surname}")
                }
                _ => format!("{given} {surname}"),
            }
        }
    }
}

/// One typo: a letter deleted, two neighbouring letters swapped, or a
/// letter replaced.
fn typo(r: &mut SplitMix64, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if letters.len() < 2 {
        return text.to_string();
    }
    let i = *r.pick(&letters);
    match r.below(3) {
        0 => {
            chars.remove(i);
        }
        1 => {
            let j = if i + 1 < chars.len() && chars[i + 1].is_alphabetic() {
                i + 1
            } else {
                letters[0]
            };
            chars.swap(i, j);
        }
        _ => {
            let c = (b'a' + r.below(26) as u8) as char;
            chars[i] = if chars[i].is_uppercase() {
                c.to_ascii_uppercase()
            } else {
                c
            };
        }
    }
    chars.into_iter().collect()
}

/// Each word with a capital first letter and the rest in lower case.
fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}
