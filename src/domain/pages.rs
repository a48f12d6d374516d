//! The wizard pages (SPEC 2–5) and where "Test your integration" lands.

use serde::{Deserialize, Serialize};

/// A page of the wizard, in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Page {
    /// Step 1: Select protocol (SPEC 3).
    SelectProtocol,
    /// Step 2: Configure your integration (SPEC 4).
    Configure,
    /// Step 3: Test information (SPEC 5.1).
    TestInfo,
    /// The Test integration page (SPEC 5.2–5.4).
    TestIntegration,
    /// Submit (SPEC 5.5).
    Submit,
}

impl Page {
    /// All pages in wizard order.
    pub const ALL: [Page; 5] = [
        Page::SelectProtocol,
        Page::Configure,
        Page::TestInfo,
        Page::TestIntegration,
        Page::Submit,
    ];

    /// The page's title as the stepper shows it.
    pub fn title(self) -> &'static str {
        match self {
            Page::SelectProtocol => "Select protocol",
            Page::Configure => "Configure your integration",
            Page::TestInfo => "Test information",
            Page::TestIntegration => "Test integration",
            Page::Submit => "Submit",
        }
    }

    /// The page where a field path is edited.
    pub fn of_field(field: &str) -> Page {
        let head = field.split(['.', '[']).next().unwrap_or_default();
        match head {
            "protocols" => Page::SelectProtocol,
            "catalog" | "variables" | "oidc" | "saml" | "scim" => Page::Configure,
            "testInfo" | "testSettings" => Page::TestInfo,
            "instances" | "tests" | "scimTestResults" | "tester" => Page::TestIntegration,
            _ => Page::Submit,
        }
    }
}
