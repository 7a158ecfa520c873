//! Code tables: every closed list of the programme (statuses, kinds, how a
//! practice spread …) is an enum with a stable code (stored in the database,
//! sent in the JSON API) and a Vietnamese label (shown to people).
//!
//! `coded_enum!` writes the enum, its [`Coded`] impl, serde through the code
//! and `TryFrom<String>`; an unknown code is an error ([`UnknownCode`]),
//! never a silent default.

/// A closed list of codes with Vietnamese labels.
pub trait Coded: Copy + Eq + 'static {
    /// The list's name, for error messages (`"Status"`).
    const NAME: &'static str;
    /// Every value, in display order.
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
    /// `from_code`, or an error naming the list and the code.
    fn parse_code(code: &str) -> Result<Self, UnknownCode> {
        Self::from_code(code).ok_or_else(|| UnknownCode { list: Self::NAME, code: code.chars().take(40).collect() })
    }
}

/// A code that is not in its list (read from the database or a request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub list: &'static str,
    pub code: String,
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} code {:?}", self.list, self.code)
    }
}

impl std::error::Error for UnknownCode {}

/// `(code, label)` pairs of a whole list, for pickers.
pub fn choices<T: Coded>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.code(), v.label())).collect()
}

/// Writes a code table. Variants may carry doc comments.
///
/// ```ignore
/// coded_enum!(
///     /// How a practice spread.
///     pub enum How { Visit = "tham_quan": "Sau chuyến tham quan học tập" }
/// );
/// ```
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal : $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::code::Coded for $name {
            const NAME: &'static str = stringify!($name);
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { <Self as $crate::code::Coded>::code(self) }
            pub fn label(self) -> &'static str { <Self as $crate::code::Coded>::label(self) }
            pub fn from_code(code: &str) -> Option<Self> { <Self as $crate::code::Coded>::from_code(code) }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <Self as $crate::code::Coded>::parse_code(&s).map_err(::serde::de::Error::custom)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::code::UnknownCode;
            fn try_from(s: String) -> Result<Self, Self::Error> { <Self as $crate::code::Coded>::parse_code(&s) }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::code::UnknownCode;
            fn try_from(s: &str) -> Result<Self, Self::Error> { <Self as $crate::code::Coded>::parse_code(s) }
        }
    };
}

/// Checks, for every listed type, that codes are unique and round-trip
/// through `from_code` and serde, and that no label is empty.
#[cfg(test)]
pub(crate) fn assert_table<T: Coded + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned>() {
    let mut seen = std::collections::HashSet::new();
    for v in T::ALL {
        assert!(seen.insert(v.code()), "{}: duplicate code {}", T::NAME, v.code());
        assert_eq!(T::from_code(v.code()), Some(*v));
        assert!(!v.label().is_empty());
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(json, format!("\"{}\"", v.code()));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
    }
    assert!(T::from_code("khong_co").is_none());
    assert!(T::parse_code("khong_co").unwrap_err().to_string().contains(T::NAME));
    assert!(serde_json::from_str::<T>("\"khong_co\"").is_err());
}
