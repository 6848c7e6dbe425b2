import type { Profile } from "@sipcodes/core";

/** A plain GET form that reloads the page through another profile (works without JS). */
export function ProfileChooser(props: {
  action: string;
  label: string;
  profile: Profile;
  profiles: readonly Profile[];
}) {
  return (
    <form class="inline" method="get" action={props.action} aria-label="Profile">
      <div class="field">
        <label for="profile">{props.label}</label>
        <select id="profile" name="profile">
          {props.profiles.map((p) => (
            <option value={p.id} selected={p.id === props.profile.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Show</button>
    </form>
  );
}
