/** The shop shows LaunchDarkly's React hook without installing the SDK: its one function, typed. */
declare module 'launchdarkly-react-client-sdk' {
  export function useFlags(): Record<string, boolean>;
}
