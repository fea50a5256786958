import { useLocation, useNavigation } from "@remix-run/react";

/** True while this page loads again (a new range, sort or page); leaving for another page is not. */
export function useReloading(): boolean {
  const navigation = useNavigation();
  const location = useLocation();
  return navigation.state === "loading" && navigation.location.pathname === location.pathname;
}
